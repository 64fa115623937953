"""Rådgivande folkerøysting – advisory referendum (kommuneloven § 12-2), a method plug-in."""
