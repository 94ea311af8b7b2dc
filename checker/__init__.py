"""checker: checks annual reports on 法治政府建设 against YAML checklists (see README.md)."""
