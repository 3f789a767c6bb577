"""French wording of the API's refusals, for the pages (the API itself speaks English).

One table per kind of message: problem codes (the stable ``code`` of a problem document) and the
usual marshmallow field messages. Something unknown still says what happened, in French, with the
API's own words after it so that nothing is hidden.
"""

from __future__ import annotations

import re
from typing import Final

#: Problem codes (DESIGN.md §6) and what to tell the user.
PROBLEMS: Final[dict[str, str]] = {
    "invalid_credentials": "E-mail ou mot de passe incorrect.",
    "login_throttled": "Trop de tentatives de connexion : réessayez dans quelques minutes.",
    "rate_limited": "Trop de requêtes : patientez quelques secondes puis réessayez.",
    "invalid_grant": "Votre session a expiré : reconnectez-vous.",
    "reset_token_invalid": "Ce lien de réinitialisation n'est plus valable : demandez-en un "
    "nouveau.",
    "validation_failed": "Certains champs sont à corriger.",
    "not_found": "Cette page n'existe pas ou ne vous est pas accessible.",
    "forbidden": "Vous n'avez pas le droit de faire cela.",
    "invalid_transition": "Cette action n'est plus possible dans l'état actuel.",
    "insufficient_credit": "Crédit disponible insuffisant chez l'acheteur : le règlement est "
    "refusé tant que son solde ne le permet pas.",
    "account_frozen": "Le compte est suspendu : aucun règlement n'est possible.",
    "hold_expired": "La réservation a expiré avant la validation.",
    "account_closed": "Le compte est fermé : aucun règlement n'est possible.",
    "max_balance_exceeded": "Le solde maximal autorisé du vendeur serait dépassé.",
    "unreachable": "Le service est momentanément indisponible : réessayez dans un instant.",
    "service_unavailable": "Le service est momentanément indisponible : réessayez dans un instant.",
    "duplicate": "Cet élément existe déjà.",
    "unknown_member": "Cette entreprise n'est ni adhérente de votre réseau ni d'un réseau "
    "partenaire lié au vôtre : choisissez-en une autre.",
    "direct_payments_off": "Votre réseau n'autorise pas ce paiement sans facture : "
    "établissez une facture.",
    "idempotency_conflict": "Ce paiement a déjà été envoyé avec d'autres montants : "
    "rechargez la page.",
    "conflict": "Cette modification entre en conflit avec les données enregistrées.",
    "same_approver": "Vous avez saisi ce virement : un autre animateur doit l'approuver ou le "
    "rejeter.",
    "awaiting_approval": "Ce virement attend l'approbation d'un second animateur.",
    "approval_not_required": "Ce virement n'attend aucune approbation.",
    "invalid_transfer_state": "Ce virement a déjà été traité.",
    "tenant_closed": "Cette association est fermée.",
    "member_busy": "Cet adhérent a des réservations en cours : réglez-les ou annulez-les avant "
    "de le déplacer.",
    "cross_network": "Un adhérent ne peut être déplacé que vers une association de son réseau.",
    "unknown_tenant": "Cette association n'existe pas.",
    "same_tenant": "L'adhérent est déjà dans cette association.",
}

_BY_STATUS: Final[dict[int, str]] = {
    400: "La demande est incorrecte.",
    401: "Votre session a expiré : reconnectez-vous.",
    403: "Vous n'avez pas le droit de faire cela.",
    404: PROBLEMS["not_found"],
    409: PROBLEMS["invalid_transition"],
    413: "Le fichier est trop volumineux.",
    422: "La demande a été refusée.",
    429: PROBLEMS["rate_limited"],
    503: PROBLEMS["unreachable"],
}

#: Marshmallow's and the services' usual field messages (regular expressions on the English).
FIELDS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.IGNORECASE), french)
    for pattern, french in (
        (r"^missing data for required field", "Ce champ est obligatoire."),
        (r"^(this field )?is required", "Ce champ est obligatoire."),
        (r"^field may not be null", "Ce champ est obligatoire."),
        (r"^not a valid (number|decimal|integer)", "Saisissez un nombre."),
        (r"^not a valid date", "Saisissez une date (jj/mm/aaaa)."),
        (r"^not a valid uuid", "Choisissez un élément de la liste."),
        (r"^not a valid email", "Saisissez une adresse e-mail valide."),
        (r"^must be one of", "Choisissez une des valeurs proposées."),
        (r"^shorter than minimum length (\d+)", r"Au moins \1 caractères."),
        (r"^longer than maximum length (\d+)", r"Au plus \1 caractères."),
        (r"^length must be between (\d+) and (\d+)", r"Entre \1 et \2 caractères."),
        (r"^must be greater than or equal to (\S+)", r"Au moins \1."),
        (r"^unknown field", "Champ inconnu."),
        (r"^no member \S+ in ", "Entreprise inconnue de votre réseau et de ses partenaires."),
        (r"positive", "Saisissez un montant positif."),
        (r"password", "Mot de passe trop faible : au moins 12 caractères, variés."),
    )
)


def french_problem(status: int, code: str, detail: str) -> str:
    """The French sentence for a problem document."""
    if code in PROBLEMS:
        return PROBLEMS[code]
    general = _BY_STATUS.get(status, "Une erreur est survenue.")
    return f"{general} ({detail})" if detail and status in (409, 422) else general


def french_field_message(message: str) -> str:
    """The French message for one field error of the API."""
    for pattern, french in FIELDS:
        match = pattern.search(message)
        if match:
            return match.expand(french)
    return f"Valeur refusée : {message}"
