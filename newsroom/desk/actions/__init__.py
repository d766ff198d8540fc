"""The evidence desk's write paths: each change readers can see goes through one of these,
in the manner of wagtail/actions/: check() for permissions and rules, execute() to write,
log and signal. Views, forms, commands and signals only call them."""
