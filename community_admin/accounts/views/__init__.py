"""The accounts app's pages, by area: logging in and one's own password (`auth`), the audit log (`audit`),
department API tokens (`tokens`), people's accounts (`users`). The URLconf imports from the areas."""
