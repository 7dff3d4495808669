"""An organisation's marks: flags and site statuses, each valid for a period."""
