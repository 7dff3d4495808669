"""A pedagogue's professional growth: upgrade courses and attestation, deficit diagnostics, individual routes,
mentoring."""
