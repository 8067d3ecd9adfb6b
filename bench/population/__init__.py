"""Population-realistic false-alert bench: real name-frequency tables, generated people."""
