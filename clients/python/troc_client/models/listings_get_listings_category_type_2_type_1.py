from enum import StrEnum

class ListingsGetListingsCategoryType2Type1(StrEnum):
    AGRICULTURE = "agriculture"
    ALIMENTATION_BOISSONS = "alimentation-boissons"
    ARTISANAT_BATIMENT = "artisanat-batiment"
    AUTOMOBILE = "automobile"
    AUTRE = "autre"
    COMMUNICATION = "communication"
    COMPTABILITE = "comptabilite"
    CONSEIL = "conseil"
    ELECTRICITE_ENERGIE = "electricite-energie"
    ESPACES_VERTS = "espaces-verts"
    EVENEMENTIEL = "evenementiel"
    FORMATION = "formation"
    GRAPHISME_IMPRESSION = "graphisme-impression"
    HEBERGEMENT_TOURISME = "hebergement-tourisme"
    JURIDIQUE = "juridique"
    LOCAUX_SALLES = "locaux-salles"
    MATERIEL_MACHINES = "materiel-machines"
    MOBILIER_FOURNITURES = "mobilier-fournitures"
    NETTOYAGE = "nettoyage"
    PHOTO_VIDEO = "photo-video"
    RESSOURCES_HUMAINES = "ressources-humaines"
    RESTAURATION_TRAITEUR = "restauration-traiteur"
    SANTE_BIEN_ETRE = "sante-bien-etre"
    SERVICES_ADMINISTRATIFS = "services-administratifs"
    TEXTILE_MODE = "textile-mode"
    TRADUCTION_REDACTION = "traduction-redaction"
    TRANSPORT_LOGISTIQUE = "transport-logistique"
    WEB_INFORMATIQUE = "web-informatique"

    def __str__(self) -> str:
        return str(self.value)
