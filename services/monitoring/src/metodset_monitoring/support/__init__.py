"""Support cases of low-result schools (ШНОР): opened from the registry's flags, with a curator, a plan, visits,
consultations from the events service, recommendations and the school's results over time."""
