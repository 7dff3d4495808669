"""Individual educational routes (ИОМ): items from the deficits found, their suggestions and completion."""
