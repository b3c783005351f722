"""Everything that knows Shopify's formats and API lives in this package."""
