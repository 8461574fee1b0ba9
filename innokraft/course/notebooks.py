"""What a course notebook looks like to the engine: the tag of the cell that opens the page.

A preheated kernel waits for its visitor inside that cell (the server gives it no time limit),
and the whole page is the one cell after it (`innokraft check`).
"""

OPEN_PAGE_TAG = "innokraft-open-page"


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def opens_page(cell: dict) -> bool:
    return OPEN_PAGE_TAG in tags(cell)
