"""Letters: the ladder run, Jinja2 templates (fr/en), plain text and PDF, e-mail over SMTP,
one-off letters and the litigation file. Reads and writes go through store/ladder_store."""
