"""The invoices' rules, standard library only: money (``money``), the invoice and its states
(``model``), deterministic ids (``ids``) and the refusals (``errors``)."""
