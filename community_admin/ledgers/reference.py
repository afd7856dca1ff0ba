"""Reference data of the ledgers app (core/reference_data.py): the report's catalogue of categories and books
(ledgers/catalogue.py). Books already there are left as the bureau edited them."""

from community_admin.ledgers import services
from community_admin.ledgers.catalogue import CATALOGUE


def install(say) -> None:
    categories, books = services.catalogue_install()
    total = sum(len(books) for _, _, books in CATALOGUE)
    say(f"[ledgers] 台账目录 {len(CATALOGUE)} 类 {total} 本（新建 {categories} 类 {books} 本）。")
