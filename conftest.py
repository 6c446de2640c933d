"pytest setup shared by tests/ and the nbval run over nbs/."


def pytest_collection_modifyitems(items):
    # nbdev_clean removes execution counts from the committed notebooks, and nbval takes a cell without an execution
    # count but with outputs for a cell that was never run ("Unrun reference cell has outputs"). Every stored output
    # in nbs/ comes from a full run (`make book`), so a cell with outputs counts as run.
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is not None and cell.get("outputs") and cell.get("execution_count") is None:
            cell["execution_count"] = 0
