"""Staff: persons, their employments and experience, the staff list and its batch import."""
