"""stackkit's own Checkov checks, loaded with --external-checks-dir (this file must exist,
or Checkov silently loads none of them)."""
