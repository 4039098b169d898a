"""Technician maintenance: PIN protection, diagnostics, on-site settings."""
