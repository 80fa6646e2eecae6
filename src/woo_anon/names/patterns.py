"""The shapes of Dutch person names and the words around them, as regular expressions."""

from __future__ import annotations

from functools import lru_cache

import regex

from woo_anon import lists

# Endings of company names: "Bouwadvies", "Van Wijk Installaties".
ORG_SUFFIXES = ("advies", "bouw", "beheer", "groep", "holding", "consult", "services", "diensten",
                "partners", "techniek", "makelaardij", "bureau", "centrum", "fonds", "vastgoed",
                "installaties", "media", "solutions", "management", "adviseurs", "zorg", "wonen")
UP, LOW = r"\p{Lu}", r"[\p{Ll}'’]"
WORD = UP + LOW + r"+(?:" + UP + r"\p{Ll}+)?"  # Jansen, D'Souza, McDonald
PATRONYM = UP + r"\p{Ll}+sz(?:n)?\."  # Jacobsz., Pietersz., Claeszn.
# Particles of Arabic, Portuguese, Italian, French and German surnames: "al-Hamdani", "bin Salem",
# "dos Santos", "di Stefano", "von Trapp", "le Roux".
FOREIGN_PARTICLES = (r"(?:(?i:al|el|ad|ash|as|at|az|ul)-|(?:bin|ibn|ben|bint|abu|Abu|ould|dos|das|da|di|"
                     r"del|della|du|von|zu|le|la)[ ])")
# Job titles and ranks before a surname: "Kapitein Hoekstra", "dominee Mulder".
JOB_TITLES = (r"kapitein|luitenant|majoor|kolonel|generaal|sergeant|korporaal|commandant|"
              r"brigadier|wachtmeester|agent|hoofdagent|inspecteur|hoofdinspecteur|rechercheur|"
              r"predikant|dominee|ds\.|pastoor|pastor|pater|imam|rabbijn|zuster|broeder|"
              r"notaris|rechter|dokter|huisarts|verpleegkundige|professor|meester|juf|juffrouw|"
              r"officier van justitie|advocaat-generaal|kapelaan|diaken|ouderling|"
              r"docent|leraar|lerares|boa|handhaver|toezichthouder|opzichter|conciërge|"
              r"arts|tandarts|verloskundige|psychiater|psycholoog|fysiotherapeut|chirurg|"
              r"wijkverpleegkundige|jeugdarts|deurwaarder|curator|bewindvoerder|mentor|voogd|"
              r"tolk|chauffeur|monteur|aannemer|architect|makelaar|trainer|coach|zaakwaarnemer")
# Ranks and professions may be compounds: "wijkagent", "brandweercommandant", "schooldirecteur".
JOB_COMPOUND = (r"(?:wijk|politie|brandweer|bedrijfs|jeugd|school|verzekerings|keurings|dieren|"
                r"kinder|zorg|jongeren|buurt|straat|ambulance|bouw|milieu|belasting|arbeids|sport|"
                r"groeps|klas|team|project|hoofd|recherche|gezins|woon|opsporings|hulp|beleids|"
                r"casus|trajekt|traject|handhavings|leerplicht)"
                r"(?:agent|commandant|inspecteur|rechercheur|arts|verpleegkundige|docent|leraar|"
                r"lerares|handhaver|opzichter)")
# (not managers or advisers: "teamleider Wmo", "consulent Jeugd" name a department after the role)
# Roles whose holder signs under the role line: "De minister van ...,\n\nH.M. de Jonge".
SIGNING_ROLES = (r"minister|staatssecretaris|burgemeester|loco-burgemeester|wethouder|griffier|"
                 r"voorzitter|secretaris|gemeentesecretaris|commissaris van de koning|gedeputeerde|"
                 r"dijkgraaf|directeur-generaal|secretaris-generaal|raadsgriffier")
# Capitalised particles that start a surname used without a first name: "Van der Graeff".

PARTICLES = (r"(?:Van(?:[ ](?i:de|der|den|het|'t|ter|ten))?|V/d|v/d|V\.d\.|v\.d\.|De|Den|Der|Ter|Ten|"
             r"Op[ ]de|Op[ ]den|In[ ]'t|In[ ]het|Van[ ]Der|Van[ ]Den|Van[ ]De)")
TITLES = (r"de heer|heer|mevrouw|mevr\.?|mw\.?|dhr\.?|mr\.|dr\.|drs\.|ir\.|ing\.|prof\.|"
          r"familie|fam\.|Mr\.?|Mrs\.?|Ms\.?|meneer|mijnheer|juffrouw")
SALUTATIONS = r"Geachte|Beste|Hoi|Hallo|Hai|Hi|Dag|Lieve|Dear|Goedemorgen|Goedemiddag|Beste collega"
# Verbs that follow a surname in minutes and notes: "Kraaijeveld meldt dat ..."
REPORTING_VERBS = (r"meldt|vraagt|zegt|geeft aan|stelt voor|stelt|antwoordt|merkt op|licht toe|"
                   r"deelt mee|deelt mede|benadrukt|reageert|belt|mailt|bevestigt|zegt toe|"
                   r"informeert|vertelt|legt uit|vindt|pleit|concludeert|vat samen|heet|opent|sluit|"
                   r"meldde|vroeg|zei|antwoordde|merkte op|lichtte toe|deelde mee|benadrukte|"
                   r"reageerde|belde|mailde|schreef|schrijft|bevestigde|informeerde|vertelde|"
                   r"legde uit|verklaarde|verklaart|liet weten|laat weten|gaf aan|stelde voor|"
                   r"opende|sloot|neemt haar|neemt zijn|nam haar|nam zijn|is ziek|was ziek|"
                   r"is afwezig|is met verlof|is op vakantie|is bereikbaar|is aanwezig")

# Verbs after the name of who does what in action lists and notes: "Tjalling stuurt de offerte",
# "Okonkwo koppelt terug". Only after the name (not "regelt Stedin ..."), and only for words
# that are no ordinary words or places (weak rule).
ACTION_VERBS = (r"stuurt|verstuurt|zoekt uit|zoekt|plant in|neemt contact op|neemt|maakt|regelt|"
                r"koppelt terug|koppelt|pakt op|pakt|bereidt voor|werkt uit|levert aan|levert|"
                r"past aan|checkt|controleert|bespreekt|agendeert|nodigt uit|organiseert|verzorgt|"
                r"zorgt voor|zorgt|stemt af|overlegt|vraagt na|bekijkt|verwerkt|beoordeelt|"
                r"onderzoekt|inventariseert|stelt op|geeft door|bezoekt|bezocht|spreekt|"
                r"sprak|benadert|informeert|volgt op|neemt op|loopt na|"
                r"gaat na|schakelt in|vraagt op|legt vast|mailt|belt")
# A bullet or list number opening a line: "- ", "• ", "3. ", "b) ".
BULLET = r"(?<=^[ \t]*(?:[-•*–·▪][ \t]+|(?:\d{1,2}|[a-z])[.)][ \t]+))"

# Nouns after which a capitalised name is a person: "mijn buurman Ioana Zeeman".
PERSON_NOUNS = (r"buurman|buurvrouw|buren|bewoner|bewoonster|melder|klager|aanvrager|aanvraagster|"
                r"cliënt|client|collega|zoon|dochter|vader|moeder|echtgenoot|echtgenote|partner|"
                r"broer|zus|zuster|oom|tante|neef|nicht|opa|oma|medewerker|medewerkster|consulent|"
                r"getuige|verdachte|betrokkene|huurder|huurster|verhuurder|eigenaar|eigenaresse|"
                r"bezoeker|patiënt|advocaat|gemachtigde|contactpersoon|behandelaar|casemanager|"
                r"mijn man|mijn vrouw|vriend|vriendin|leerling|student|werknemer|werkgever|"
                r"beller|indiener|bezwaarmaker|appellant|eiser|verweerder|slachtoffer")
# Labels before a person's name in forms and tables: "Naam: ...", "Aanvrager: ...".
NAME_LABELS = (r"naam|achternaam|voornaam|voornamen|roepnaam|geboortenaam|naam aanvrager|naam melder|"
               r"naam medewerker|naam betrokkene|aanvrager|aanvraagster|melder|verzoeker|verzoekster|"
               r"klager|bezwaarmaker|indiener|ingediend door|betrokkene|cliënt|client|huurder|"
               r"bewoner|getuige|verdachte|gesproken met|medewerker|ambtenaar|inspecteur|"
               r"behandelend ambtenaar|contact|gemachtigde|vertegenwoordiger|ouder|verzorger")
OFFICIAL_ROLES = (r"burgemeester|wethouder|loco-burgemeester|gemeentesecretaris|raadslid|"
                  r"raadsleden|fractievoorzitter|woordvoerder|minister|staatssecretaris|griffier|"
                  r"commissaris van de koning|gedeputeerde|dijkgraaf|kamerlid|ombudsman|"
                  r"directeur-generaal|secretaris-generaal|voorzitter van de raad")

# A role, title or form label the model took along with the name: "Kapitein Hoekstra",
# "Fractievoorzitter Bouchra Lamrabet", "Behandelaar Karin Smulders" (the word is public text; the
# official's name is judged on its own).
LEADING_ROLE = regex.compile(r"^(?i:" + JOB_TITLES + r"|" + JOB_COMPOUND + r"|" + OFFICIAL_ROLES
                             + r"|" + PERSON_NOUNS + r"|" + NAME_LABELS
                             + r"|de heer|heer|mevrouw|meneer)[ ]+")


@lru_cache(maxsize=1)
def interfix_pattern() -> str:
    items = sorted(lists.interfixes(), key=len, reverse=True)
    return "(?:" + "|".join(regex.escape(i).replace(r"\ ", " ") for i in items) + ")"


@lru_cache(maxsize=1)
def patterns() -> dict[str, regex.Pattern]:
    ix = "(?i:" + interfix_pattern() + ")"
    initials = r"(?:(?!(?:Mr|Dr|Ir|Mw|St|Nr|Drs|Ing|Prof|Fa|Tel|Fax|Dhr|Mevr|Dhr)\.)" + UP + r"\p{Ll}{0,2}\.[ ]?){1,5}"
    # a double surname may break after its hyphen: "Wiggers-\nBrinkhorst"
    pre = r"(?:" + ix + r"[ ]|" + FOREIGN_PARTICLES + r")"
    surname = pre + r"?" + WORD + r"(?:-\n?" + pre + r"?" + WORD + r")?"
    caps = r"\p{Lu}[\p{Lu}'’]+(?:-\p{Lu}[\p{Lu}'’]+)?"
    caps_name = (r"(?:(?:" + initials + r"[ ]?)?(?:(?:" + ix + r"|" + caps + r")[ ]){0,3}" + caps
                 + r"(?:,[ ](?:" + caps + r"|" + initials + r"))?)")
    gap = r"(?:[ ]|\n(?=\p{Lu}))"  # a name may wrap onto the next line
    part = r"(?:" + WORD + r"|" + PATRONYM + r")"
    # a first name may be hyphenated: "Jean-Pierre Lefèvre"
    name = (r"(?:" + initials + r"[ ]?)?(?:" + WORD + r"(?:-" + WORD + r")?" + gap + r")?(?:" + part + gap
            + r")?" + surname)
    return {
        "title": regex.compile(r"(?<![\w])(?<!-\n)(?i:" + TITLES + r")(?:[ ]+\n?|\n)(?P<name>" + name + r")"),
        "noun": regex.compile(r"(?<![\w])(?i:" + PERSON_NOUNS + r")[ ]?\n?[ ]?(?P<name>" + name + r")"),
        # a name before a verb of persons, opening a sentence or after a lower-case word or comma
        "reporting": regex.compile(r"(?:^|" + BULLET + r"|(?<=[.:;!?][ ])|(?<=[\p{Ll},][ ]))(?P<name>(?:" + ix
                                   + r"[ ])?" + WORD + r"(?:-" + WORD + r")?)[ ](?:" + REPORTING_VERBS + r"|"
                                   + ACTION_VERBS + r")(?![\w])", regex.M),
        # the verb first, as Dutch word order puts it after an adverb: "Gisteren belde Okkerse nog"
        "reporting_inverted": regex.compile(r"(?<![\w])(?:" + REPORTING_VERBS + r")[ ](?P<name>(?:" + ix + r"[ ])?"
                                            + WORD + r"(?:-" + WORD + r")?)(?=[ ]\p{Ll}|[.,;:!?]|$)", regex.M),
        "label": regex.compile(r"(?i)(?<![\w])(?:actie|actiehouder|trekker|eigenaar|behandeld door|"
                               r"behandelaar|contactpersoon|opgesteld door|auteur|steller|paraaf|"
                               r"namens|ondertekend door|getekend|" + NAME_LABELS + r")[ \t]*:[ \t]*(?P<name>(?-i:" + name + r"|"
                               + caps_name + r"))(?=[ \t]*(?:[.,;)\n]|$))"),
        "salutation_lower": regex.compile(r"(?<![\w])(?i:" + SALUTATIONS + r")[ ]+(?P<name>\p{Ll}[\p{Ll}'’-]{2,})"
                                          r"(?=[ ]?[,!\n])"),
        "patronym": regex.compile(r"(?<![\w])(?P<name>(?:" + WORD + r"[ ])?" + PATRONYM + r"(?:[ ]" + surname
                                  + r")?)(?![\w])"),
        # a particle surname opening a sentence: "Ter Rozendaal heeft bezwaar gemaakt."
        "particle_start": regex.compile(r"(?:^|" + BULLET + r"|(?<=[.!?:][ ]))(?P<name>" + PARTICLES + r"[ ]" + WORD
                                        + r"(?:-" + WORD + r")?)(?=[ ]\p{Ll})", regex.M),
        # an all-caps name after a title or salutation: "Geachte heer JANSEN", "mevrouw DE VRIES"
        "title_caps": regex.compile(r"(?<![\w])(?:(?i:" + TITLES + r")|" + SALUTATIONS + r")[ ]+"
                                    r"(?P<name>(?:" + initials + r"[ ]?)?(?:(?:" + ix + r"|\p{Lu}{2,}(?:-\p{Lu}{2,})?)[ ]){0,2}"
                                    r"\p{Lu}[\p{Lu}'’]+(?:-\p{Lu}[\p{Lu}'’]+)?)(?![\w])"),
        "salutation": regex.compile(r"(?<![\w])(?:" + SALUTATIONS + r")[ ]+(?!(?i:" + TITLES + r")\b)(?P<name>" + name + r")"),
        "initials": regex.compile(r"(?<![\w.])(?P<name>" + initials + r"[ ]?" + surname + r")"),
        "first_last": regex.compile(r"(?<![\w.-])(?P<first>" + WORD + r")[ ](?P<rest>(?:" + part + r"[ ])?" + surname + r")"),
        "job": regex.compile(r"(?<![\w-])(?i:" + JOB_TITLES + r"|" + JOB_COMPOUND + r")[ ]+(?P<name>" + name + r")"),
        # a capitalised particle inside a sentence (after a lower-case word or a comma) starts a surname
        "particle": regex.compile(r"(?<=[\p{Ll},;:)][ ])(?P<name>" + PARTICLES + r"[ ]" + WORD
                                  + r"(?:-" + WORD + r")?)(?![\w])"),
        # a known first name opening a sentence, followed by a lower-case word: "Marloes neemt ..."
        "first_alone": regex.compile(r"(?:^|(?<=[.!?][ ]))(?P<name>" + WORD + r")(?=[ ]\p{Ll})", regex.M),
        "role_line": regex.compile(r"(?im)^[ \t]*(?:de[ ]|het[ ])?(?:" + SIGNING_ROLES + r")(?:[ ]a\.i\.)?"
                                   r"(?:[ ](?:van|voor)[ ][^\n]{1,100}?)?[ \t]*,?[ \t]*$"),
        "vote": regex.compile(r"(?i)(?:voor|tegen)[ ](?:stemden|stemmen|hebben[ ]gestemd|gestemd)"
                              r"(?:[ ]de[ ](?:leden|raadsleden))?[ ]*:?[ ]*(?P<value>[^.\n]+(?:\n(?!\s*\n)[^.\n]+)*)"),
        "line_caps": regex.compile(r"^[ \t]*(?:(?i:" + TITLES + r")[ ]+)?(?P<name>" + caps_name + r")[ \t]*,?[ \t]*$", regex.M),
        "line_name": regex.compile(r"^[ \t]*(?:(?i:" + TITLES + r")[ ]+)?(?P<name>" + name + r")[ \t]*,?[ \t]*$", regex.M),
        "reversed": regex.compile(r"(?P<name>" + surname + r",[ ](?:" + initials + r"|" + WORD + r")(?:[ ]\(" + WORD + r"\))?)"),
        "role": regex.compile(r"(?i:" + OFFICIAL_ROLES + r")[ ,]+(?:\n)?(?:(?i:" + TITLES + r")[ ]+)?(?P<name>" + name + r")"),
    }


HEADER = regex.compile(r"^[ \t]*(?:Van|Aan|VAN|AAN|CC|Cc|Bcc|BCC|From|To|FROM|TO|Afzender|Geadresseerde)[ \t]*:[ \t]*(?P<value>.+)$", regex.M)
# Informal closings of e-mails; the line after them holds a name less surely than after a sign-off.
INFORMAL_SIGN_OFF = regex.compile(r"(?i)^[ \t]*(?:groetjes|gr\.?|(?:alvast )?(?:bedankt|dank(?:[ ]je| u)?(?:[ ]wel)?)|"
                                  r"met dank|tot (?:snel|morgen|dan|later)|fijn weekend|fijne dag|succes|"
                                  r"thanks|cheers)[ \t,.!]*$", regex.M)
SIGN_OFF = regex.compile(r"(?i)^[ \t]*(?:met )?(?:vriendelijke|hartelijke|collegiale|beste) groet(?:en)?,?[ \t]*$|^[ \t]*(?:hoogachtend|groet(?:en)?|mvg|m\.v\.g\.|kind regards|regards|namens deze)[ \t,]*$", regex.M)
ATTENDEES = regex.compile(r"(?im)^[ \t]*(?:aanwezig(?:en)?|afwezig|afgemeld|afmeldingen|deelnemers|genodigden|notulist|notulen|voorzitter|verslag|verslaglegging|met kennisgeving afwezig)[ \t]*:[ \t]*(?P<value>.*(?:\n(?![ \t]*\n)(?![^\n]*:).*){0,12})")
ORG_HINTS = ["gemeente", "team", "loket", "afdeling", "ministerie", "info", "secretariaat", "raad",
             "college", "provincie", "stichting", "b.v.", "bv", "directie", "dienst", "bureau",
             "ggd", "politie", "servicedesk", "woo", "postbus", "griffie", "redactie", "unit",
             "sector", "cluster", "rijkswaterstaat", "rijksoverheid", "kantoor", "groep", "alle"]


STREETISH = regex.compile(r"(?i)(?:straat|laan|weg|plein|gracht|kade|singel|dreef|steeg|plantsoen)\b")
LEADING_TITLE = regex.compile(r"^(?i:" + TITLES + r")[ ]+")


