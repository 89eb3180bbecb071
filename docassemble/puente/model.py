"""The case record: one child, one case (``docs/case-record.md``).

The classes below are the typed form of the record. Each attribute carries its
kind and its Spanish and English labels in ``metadata``; ``schema.py`` walks
them to get the flat field list that the validator, the spreadsheet reader and
the template workbook share, so a field is declared once, here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

FIRST_FILINGS = ("asylum", "coadyuvante", "family_reunification", "derivative_status")
# The escritos of a case after its first filing (after-filing.md), in the
# order a case meets them; ``stage.py`` says which one a case needs next.
AFTER_FILING = ("ratification", "prevention_reply", "review_appeal", "residence_change")
# Documents counsel may ask for on their own: the carta poder (LFPA art. 19),
# which also comes with every COMAR filing by counsel, when counsel takes over
# a case COMAR already has or its signatures must be ratified again.
ON_REQUEST = ("carta_poder",)
PROCEDURES = FIRST_FILINGS + AFTER_FILING + ON_REQUEST
RESOLUTION_KINDS = ("granted", "complementary", "refused", "abandoned")
OUTPUT_LANGUAGES = ("es", "en")
SEXES = ("F", "M", "X")
ACCOMPANIMENT = ("unaccompanied", "separated", "accompanied")
PLACEMENT_TYPES = ("dif_cas", "civil_shelter", "family", "inm_station", "other")
IDENTITY_DOCUMENTS = ("birth_certificate", "passport", "national_id", "consular_id", "none")
GROUNDS = (
    "race", "religion", "nationality", "political_opinion", "gender",
    "particular_social_group", "generalized_violence", "foreign_aggression",
    "internal_conflict", "massive_human_rights_violations",
    "serious_public_order_disturbance", "sur_place",
)
LATE_FILING_REASONS = ("detained", "illness", "no_information", "no_counsel", "language", "alone_as_a_child", "other")
RELATIONSHIPS = (
    "mother", "father", "sibling", "grandparent", "aunt_uncle", "cousin",
    "spouse", "child", "legal_guardian", "other",
)
PPNNA_LEVELS = ("federal", "estatal")
PERSECUTOR_KINDS = ("gang", "organized_crime", "family_member", "partner", "community_member", "state_agent", "other")
PROTECTION_OUTCOMES = ("no_response", "refused", "ineffective", "threatened_for_reporting", "pending")
RISKS = (
    "threatened_by_known_person", "pursued_in_mexico", "criminal_group_contact", "exploitation",
    "self_harm", "urgent_health", "no_safe_placement", "family_violence",
)
# Answers counsel may leave "pendiente" (to complete with the child later):
# a pending answer is left out of every filing, never replaced by filler, and
# the checklist asks for it.
PENDING_FIELDS = ("claim.narrative", "child_views")
TRAFFICKING_INDICATORS = (
    "travels_with_non_relative", "adult_claims_found_child", "documents_held_by_other",
    "cannot_speak_for_self", "debt_owed", "restricted_movement", "injuries",
    "work_unsuitable_for_child", "no_access_to_parents", "intimidated",
)


def f(kind: str, es: str, en: str, *, choices: tuple[str, ...] = (), required: bool = False, default: Any = None):
    """Declare one field of the record.

    kind: text | date | bool | int | enum | enum_list | text_list | object | object_list | raw
    (raw: a mapping kept as given, for records the tool itself writes, like a review)
    """
    meta = {"kind": kind, "es": es, "en": en, "choices": choices, "required": required}
    if kind in ("enum_list", "text_list", "object_list"):
        return dataclasses.field(default_factory=lambda: list(default or []), metadata=meta)
    if kind == "object":
        return dataclasses.field(default_factory=default, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclass
class Authority:
    comar_office: str | None = f("text", "Oficina de la COMAR", "COMAR office")
    ppnna: str | None = f("enum", "Procuraduría de Protección (federal o estatal)", "PPNNA (federal or state)", choices=PPNNA_LEVELS)
    ppnna_state: str | None = f("text", "Estado de la Procuraduría", "PPNNA state")
    inm_office: str | None = f("text", "Oficina del INM", "INM office")


@dataclass
class Placement:
    type: str | None = f("enum", "Tipo de alojamiento", "Placement type", choices=PLACEMENT_TYPES)
    name: str | None = f("text", "Nombre del alojamiento", "Placement name")
    city: str | None = f("text", "Ciudad del alojamiento", "Placement city")
    state: str | None = f("text", "Estado del alojamiento", "Placement state")


@dataclass
class Child:
    given_names: str | None = f("text", "Nombre(s) de la NNA", "Child's given names", required=True)
    family_names: str | None = f("text", "Apellidos de la NNA", "Child's family names", required=True)
    # Nicknames and other spellings ("Lucy", "Lucia Perez"): never printed in
    # a filing, only used so that a public version hides them too.
    other_names: list[str] = f("text_list", "Otros nombres (apodos, otras grafías)",
                               "Other names (nicknames, other spellings)")
    date_of_birth: date | None = f("date", "Fecha de nacimiento", "Date of birth")
    age_estimated: bool = f("bool", "Edad estimada", "Age estimated", default=False)
    estimated_age: int | None = f("int", "Edad estimada (años)", "Estimated age (years)")
    sex: str | None = f("enum", "Sexo (como se identifica)", "Sex (as the child identifies)", choices=SEXES)
    nationality: str | None = f("text", "Nacionalidad (ISO) o apátrida", "Nationality (ISO) or stateless")
    country_of_birth: str | None = f("text", "País de nacimiento (ISO)", "Country of birth (ISO)")
    languages: list[str] = f("text_list", "Idiomas (el primero, preferido)", "Languages (first = preferred)")
    needs_interpreter: bool = f("bool", "Necesita intérprete", "Needs an interpreter", default=False)
    accompaniment: str | None = f("enum", "Situación de acompañamiento", "Accompaniment", choices=ACCOMPANIMENT)
    entry_date: date | None = f("date", "Fecha de ingreso a México", "Date of entry into Mexico")
    entry_place: str | None = f("text", "Lugar de ingreso", "Place of entry")
    route: str | None = f("text", "Ruta", "Route")
    placement: Placement = f("object", "Alojamiento actual", "Current placement", default=Placement)
    identity_documents: list[str] = f("enum_list", "Documentos de identidad", "Identity documents", choices=IDENTITY_DOCUMENTS)


@dataclass
class Event:
    date: date | None = f("date", "Fecha", "Date")
    place: str | None = f("text", "Lugar", "Place")
    description: str | None = f("text", "Descripción", "Description", required=True)


@dataclass
class StateProtection:
    """Did anyone ask the authorities of the country of origin for protection,
    and what happened (the failure of state protection, for non-state agents)."""

    sought: bool | None = f("bool", "¿Se pidió protección a las autoridades del país de origen?", "Protection sought from the authorities of the country of origin?")
    authority: str | None = f("text", "Autoridad a la que se pidió protección", "Authority asked for protection")
    date: date | None = f("date", "Fecha en que se pidió protección", "Date protection was sought")
    outcome: str | None = f("enum", "Resultado de la petición de protección", "Outcome of the request for protection", choices=PROTECTION_OUTCOMES)
    not_sought_reason: str | None = f("text", "Por qué no se pidió protección", "Why protection was not sought")


@dataclass
class Claim:
    grounds: list[str] = f("enum_list", "Motivos de la solicitud", "Grounds", choices=GROUNDS)
    persecutors: str | None = f("text", "Agentes de persecución", "Persecutors")
    narrative: str | None = f("text", "Relato", "Narrative")
    events: list[Event] = f("object_list", "Hechos fechados", "Dated events")
    fear_of_return: bool = f("bool", "Temor de regresar", "Fear of return", default=False)
    late_filing_reasons: list[str] = f("enum_list", "Causas de la presentación extemporánea", "Late-filing reasons", choices=LATE_FILING_REASONS)
    late_filing_explanation: str | None = f("text", "Explicación de la presentación extemporánea", "Late-filing explanation")
    persecutor_kind: str | None = f("enum", "Tipo de agente de persecución", "Kind of persecutor", choices=PERSECUTOR_KINDS)
    social_group: str | None = f("text", "Grupo social determinado (como lo define la representación)", "Particular social group (as counsel defines it)")
    state_protection: StateProtection = f("object", "Protección del Estado de origen", "Protection by the State of origin", default=StateProtection)
    narrative_en: str | None = f("text", "Relato en inglés (versión de la representación)", "Narrative in English (counsel's rendering)")


@dataclass
class RefugeeStatus:
    resolution_number: str | None = f("text", "Número de resolución", "Resolution number")
    resolution_date: date | None = f("date", "Fecha de resolución", "Resolution date")
    office: str | None = f("text", "Oficina que resolvió", "Office that decided")


@dataclass
class Relative:
    given_names: str | None = f("text", "Nombre(s)", "Given names", required=True)
    family_names: str | None = f("text", "Apellidos", "Family names", required=True)
    relationship: str | None = f("enum", "Parentesco", "Relationship", choices=RELATIONSHIPS, required=True)
    sex: str | None = f("enum", "Sexo", "Sex", choices=SEXES)
    date_of_birth: date | None = f("date", "Fecha de nacimiento", "Date of birth")
    nationality: str | None = f("text", "Nacionalidad (ISO)", "Nationality (ISO)")
    location_country: str | None = f("text", "País donde se encuentra (ISO)", "Country where they are (ISO)")
    location_city: str | None = f("text", "Ciudad donde se encuentra", "City where they are")
    in_mexico: bool = f("bool", "Está en México", "In Mexico", default=False)
    economically_dependent: bool = f("bool", "Depende económicamente", "Economically dependent", default=False)
    reunification_requested: bool = f("bool", "Se solicita su reunificación", "Reunification requested", default=False)
    refugee_status: RefugeeStatus = f("object", "Condición de refugiado", "Refugee status", default=RefugeeStatus)
    is_principal_refugee: bool = f("bool", "Es la persona refugiada principal", "Is the principal refugee", default=False)
    # Left unset, no filing says the child lives with or is cared for by
    # this relative (docs/case-record.md).
    lives_with_child: bool | None = f("bool", "La NNA vive actualmente con esta persona", "The child lives with this relative now")
    cares_for_child: bool | None = f("bool", "Esta persona tiene actualmente a la NNA bajo su cuidado", "This relative has the child in their care now")

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}"


@dataclass
class Address:
    street: str | None = f("text", "Calle y número", "Street")
    city: str | None = f("text", "Ciudad", "City")
    state: str | None = f("text", "Estado", "State")
    postal_code: str | None = f("text", "Código postal", "Postal code")


@dataclass
class Representative:
    given_names: str | None = f("text", "Nombre(s) del representante", "Representative's given names")
    family_names: str | None = f("text", "Apellidos del representante", "Representative's family names")
    # "licenciada/licenciado en derecho" and "tu abogada/tu abogado" agree with it.
    sex: str | None = f("enum", "Sexo del representante", "Representative's sex", choices=SEXES)
    organization: str | None = f("text", "Organización", "Organization")
    professional_license: str | None = f("text", "Cédula profesional", "Professional license")
    email: str | None = f("text", "Correo electrónico", "Email")
    phone: str | None = f("text", "Teléfono", "Phone")
    address: Address = f("object", "Domicilio para oír y recibir notificaciones", "Address for service", default=Address)
    authorized_persons: list[str] = f("text_list", "Personas autorizadas", "Authorized persons")

    @property
    def full_name(self) -> str:
        return f"{self.given_names or ''} {self.family_names or ''}".strip()


@dataclass
class Coadyuvante:
    notified_date: date | None = f("date", "Fecha de notificación a la PPNNA", "Date the PPNNA was notified")
    expediente: str | None = f("text", "Expediente de la PPNNA", "PPNNA file number")
    restitution_plan_date: date | None = f("date", "Fecha del plan de restitución", "Restitution plan date")
    child_heard: bool = f("bool", "La NNA fue escuchada", "Child was heard", default=False)


# Inside a record with a field named ``date``, that name is the field: later
# fields spell the type through this alias.
Day = date


@dataclass
class Resolution:
    """COMAR's resolution, as notified."""
    kind: str | None = f("enum", "Sentido de la resolución", "Outcome of the resolution", choices=RESOLUTION_KINDS)
    number: str | None = f("text", "Número de la resolución", "Number of the resolution")
    date: date | None = f("date", "Fecha de la resolución", "Date of the resolution")
    notified_date: Day | None = f("date", "Fecha de notificación de la resolución", "Date the resolution was notified")
    # What COMAR said, in short: each ground becomes an agravio of the recurso.
    grounds: list[str] = f("text_list", "Motivos de la resolución", "Grounds given in the resolution")


@dataclass
class ResidenceChange:
    to_city: str | None = f("text", "Ciudad a la que se cambia", "City the child moves to")
    to_state: str | None = f("text", "Estado al que se cambia", "State the child moves to")
    reason: str | None = f("text", "Motivo del cambio de residencia", "Reason for the change of residence")


@dataclass
class Proceedings:
    comar_case_number: str | None = f("text", "Expediente COMAR", "COMAR case number")
    comar_filed_date: date | None = f("date", "Fecha de presentación ante COMAR", "Date filed with COMAR")
    ratified_date: date | None = f("date", "Fecha de ratificación de la solicitud", "Date the application was ratified")
    # Short form of resolution {kind: refused, notified_date}: still accepted.
    refusal_notified_date: date | None = f("date", "Fecha de notificación de la negativa", "Date a refusal was notified")
    prevention_notified_date: date | None = f("date", "Fecha de notificación de la prevención", "Date a request to cure was notified")
    prevention_items: list[str] = f("text_list", "Lo que pide la prevención", "What the prevención asks for")
    # The term the prevención states; LFPA art. 17-A gives at least 5 días hábiles.
    prevention_term_days: int | None = f("int", "Plazo de la prevención (días hábiles)", "Time limit of the prevención (business days)")
    resolution: Resolution = f("object", "Resolución de la COMAR", "COMAR's resolution", default=Resolution)
    appeal_filed_date: date | None = f("date", "Fecha de presentación del recurso de revisión", "Date the appeal was filed")
    residence_change: ResidenceChange = f("object", "Cambio de residencia", "Change of residence", default=ResidenceChange)
    tvrh_issued: bool = f("bool", "TVRH expedida", "TVRH issued", default=False)

    @property
    def refused(self) -> bool:
        return self.resolution.kind == "refused"

    @property
    def refusal_notified(self) -> date | None:
        """When the refusal was notified (either form of the record)."""
        if self.resolution.kind == "refused" and self.resolution.notified_date:
            return self.resolution.notified_date
        return self.refusal_notified_date


@dataclass
class Screening:
    trafficking_indicators: list[str] = f("enum_list", "Indicadores de trata", "Trafficking indicators", choices=TRAFFICKING_INDICATORS)
    health_needs: str | None = f("text", "Necesidades de salud", "Health needs")
    disability: bool = f("bool", "Discapacidad", "Disability", default=False)
    pregnant: bool = f("bool", "Embarazo", "Pregnant", default=False)
    other_vulnerabilities: str | None = f("text", "Otras vulnerabilidades", "Other vulnerabilities")
    # Sensitive items (other vulnerabilities, health details) stay out of
    # documents that circulate unless counsel decides otherwise.
    print_sensitive: bool = f("bool", "Imprimir datos sensibles", "Print sensitive items", default=False)


@dataclass
class EvidenceItem:
    description: str | None = f("text", "Descripción", "Description", required=True)
    available: bool = f("bool", "Disponible", "Available", default=False)


@dataclass
class Case:
    case_id: str | None = f("text", "Clave del caso", "Case id", required=True)
    procedures: list[str] = f("enum_list", "Procedimientos", "Procedures", choices=PROCEDURES, required=True)
    output_languages: list[str] = f("enum_list", "Idiomas de salida", "Output languages", choices=OUTPUT_LANGUAGES)
    filing_date: date | None = f("date", "Fecha de presentación", "Filing date")
    filing_city: str | None = f("text", "Ciudad de firma", "City of signature")
    filing_state: str | None = f("text", "Estado de firma", "State of signature")
    authority: Authority = f("object", "Autoridad", "Authority", default=Authority)
    child: Child = f("object", "Niña, niño o adolescente", "Child", default=Child)
    claim: Claim = f("object", "Solicitud", "Claim", default=Claim)
    family: list[Relative] = f("object_list", "Familia", "Family")
    refugee_status: RefugeeStatus = f("object", "Condición de refugiado de la NNA", "Child's refugee status", default=RefugeeStatus)
    representative: Representative = f("object", "Representante", "Representative", default=Representative)
    coadyuvante: Coadyuvante = f("object", "Representación coadyuvante", "Contributory representation", default=Coadyuvante)
    proceedings: Proceedings = f("object", "Trámites", "Proceedings", default=Proceedings)
    screening: Screening = f("object", "Detección", "Screening", default=Screening)
    child_views: str | None = f("text", "Opinión de la NNA", "Child's views")
    risks: list[str] = f("enum_list", "Riesgos actuales que exigen medidas urgentes", "Present risks that call for urgent measures", choices=RISKS)
    evidence: list[EvidenceItem] = f("object_list", "Pruebas", "Evidence")
    pending: list[str] = f("enum_list", "Respuestas pendientes", "Pending answers", choices=PENDING_FIELDS)
    # Children's counsel's sign-off, written by `puente review` (review.py).
    review: dict | None = f("raw", "Revisión", "Review")

    # ---- small derived facts used by rules and documents -----------------
    @property
    def principal_refugee(self) -> Relative | None:
        return next((r for r in self.family if r.is_principal_refugee), None)

    @property
    def relatives_to_reunify(self) -> list[Relative]:
        return [r for r in self.family if r.reunification_requested and not r.in_mexico]

    def age_on(self, day: date) -> int | None:
        """Completed years on ``day``; the estimated age when there is no date of birth."""
        dob = self.child.date_of_birth
        if dob is None:
            return self.child.estimated_age
        years = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return years

    @property
    def age(self) -> int | None:
        """Age on the filing date."""
        return self.age_on(self.filing_date) if self.filing_date else None


def to_dict(obj: Any) -> Any:
    """The canonical JSON form: ISO dates, no empty optional values."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for fld in dataclasses.fields(obj):
            value = to_dict(getattr(obj, fld.name))
            if value is None or value == [] or value == {}:
                continue
            out[fld.name] = value
        return out
    if isinstance(obj, list):
        return [to_dict(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
