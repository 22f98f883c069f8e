"""The partner JSON API, `/api/v1` (contract: ../shared/CONTRACT.md)."""
