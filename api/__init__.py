"""The JSON content API for mobile apps and partner sites."""
