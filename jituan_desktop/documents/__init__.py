"""Printed documents (ReportLab; imported lazily, never at startup)."""
