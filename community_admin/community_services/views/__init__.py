"""The community services pages, by area: visits, activities, volunteers, organisations, the balance."""
