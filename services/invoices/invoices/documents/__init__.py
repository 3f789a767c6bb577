"""The invoice as documents: the CII XML (``cii``) and the Factur-X PDF/A-3 (``pdf``)."""
