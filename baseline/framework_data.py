"""STEM School Label framework, version 1 (European Schoolnet): 7 key elements, 21 criteria, in Dutch and English.

Loaded by migration 0002. A new version of the label becomes a new Framework row in a new migration; editions keep
the version they were set up with, so existing measurements are never rewritten.
"""

FRAMEWORK = {
    "slug": "stem-school-label-v1",
    "name": "STEM School Label",
    "version": "1",
    "source": "European Schoolnet, STEM School Label; Voka Wijzer 'voor een excellent STEM-onderwijs' (2024)",
}

# number, name (nl), name (en), short name (nl), short name (en)
ELEMENTS: list[tuple[int, str, str, str, str]] = [
    (1, "Onderwijsmethode", "Teaching methodology", "Methode", "Methodology"),
    (2, "Leerplan", "Curriculum", "Leerplan", "Curriculum"),
    (3, "Evaluatie", "Assessment", "Evaluatie", "Assessment"),
    (
        4,
        "Professionalisering van het schoolpersoneel",
        "Professional development of school staff",
        "Professionalisering",
        "Professional development",
    ),
    (5, "Leiderschap en cultuur", "Leadership and school culture", "Leiderschap", "Leadership"),
    (6, "Samenwerking", "Partnerships", "Samenwerking", "Partnerships"),
    (7, "Schoolinfrastructuur", "School infrastructure", "Infrastructuur", "Infrastructure"),
]

# number, element, name (nl), name (en), guidance (nl), guidance (en), example (nl), example (en)
CRITERIA: list[tuple[int, int, str, str, str, str, str, str]] = [
    (
        1,
        1,
        "Gepersonaliseerd leren",
        "Personalised learning",
        (
            "Leerlingen krijgen leertrajecten, tempo en ondersteuning die passen bij hun niveau, interesses en "
            "noden. Denk aan differentiatie in de STEM-lessen, keuzeopdrachten en verdiepings- en "
            "remediëringsmomenten; vraag je af of dat gebeurt bij enkele enthousiaste leerkrachten (beginnend), "
            "in de hele STEM-werking van een graad (ingebed) of schoolbreed en doordacht opgevolgd "
            "(voorbeeldig)."
        ),
        (
            "Pupils get learning paths, pace and support that fit their level, interests and needs. Think of "
            "differentiation in STEM lessons, choice assignments, and extension and remedial moments; ask "
            "yourselves whether this happens with a few enthusiastic teachers (beginning), throughout the STEM "
            "work of a whole stage (embedded) or school-wide and thoughtfully monitored (exemplary)."
        ),
        (
            "In de eerste graad kiezen leerlingen in het STEM-uur uit opdrachten op drie niveaus: wie sneller "
            "klaar is, krijgt een verdiepingsuitdaging, wie vastloopt, krijgt extra instructie. De leerkrachten "
            "volgen ieders voortgang op via een digitaal leerplatform."
        ),
        (
            "In the first stage (years 1–2), pupils choose from assignments at three levels in the STEM lesson: "
            "those who finish early get an extension challenge, those who get stuck get extra instruction. "
            "Teachers follow each pupil's progress on a digital learning platform."
        ),
    ),
    (
        2,
        1,
        "Probleem- en projectgebaseerd leren",
        "Problem- and project-based learning",
        (
            "Leerlingen leren door te werken aan een authentiek probleem of project dat langere tijd loopt en "
            "uitmondt in een product, oplossing of presentatie. Vraag je af hoe vaak en in welke graden en "
            "richtingen dat gebeurt: een los project per jaar (beginnend), een vaste plaats in de jaarplanning "
            "(ingebed) of een doorlopende leerlijn over de graden heen, bv. volgens het iSTEM-stappenplan "
            "(voorbeeldig)."
        ),
        (
            "Pupils learn by working on an authentic problem or project that runs over a longer period and "
            "results in a product, solution or presentation. Ask yourselves how often and in which stages and "
            "programmes this happens: a one-off project per year (beginning), a fixed place in the annual plan "
            "(embedded) or a continuous learning line across the stages, e.g. following the iSTEM step-by-step "
            "plan (exemplary)."
        ),
        (
            "Alle vijfdejaars uit de STEM-richtingen krijgen samen één centrale uitdaging: een energieneutrale "
            "noodwoning bouwen uit twee zeecontainers. Leerlingen uit doorstroom-, dubbele en "
            "arbeidsmarktfinaliteit verdelen de taken en stellen hun ontwerp voor aan een jury met mensen uit "
            "bedrijven."
        ),
        (
            "All fifth-year pupils in the STEM programmes share one central challenge: building an "
            "energy-neutral emergency home from two shipping containers. Pupils from the transition, "
            "dual-qualification and labour-market tracks divide the tasks and present their design to a jury "
            "that includes company staff."
        ),
    ),
    (
        3,
        1,
        "Onderzoekend leren, op wetenschap en praktijk gebaseerd",
        "Inquiry-based learning, grounded in science and practice",
        (
            "Leerlingen gaan te werk zoals wetenschappers en ingenieurs: ze stellen onderzoeks- of "
            "ontwerpvragen, voeren experimenten of tests uit en trekken zelf conclusies. Vraag je af of "
            "leerlingen in labo's en practica vooral een recept volgen (beginnend), geregeld zelf een onderzoek "
            "of ontwerp opzetten (ingebed), of dat onderzoekend en ontwerpend leren een rode draad is in alle "
            "STEM-vakken (voorbeeldig)."
        ),
        (
            "Pupils work the way scientists and engineers do: they ask research or design questions, carry out "
            "experiments or tests and draw their own conclusions. Ask yourselves whether pupils in labs and "
            "practicals mostly follow a recipe (beginning), regularly set up their own investigation or design "
            "(embedded), or whether inquiry- and design-based learning is a common thread in all STEM subjects "
            "(exemplary)."
        ),
        (
            "In de derde graad wetenschappen onderzoeken leerlingen zelf welke factoren de snelheid van een "
            "reactie beïnvloeden: ze stellen een hypothese op, ontwerpen de proef en bespreken hun resultaten "
            "met een laborant van een chemiebedrijf, die toelicht hoe de kwaliteitscontrole dat in de praktijk "
            "aanpakt."
        ),
        (
            "In the third stage (years 5–6) science programme, pupils investigate for themselves which factors "
            "affect the rate of a reaction: they form a hypothesis, design the experiment and discuss their "
            "results with a lab technician from a chemical company, who explains how quality control tackles "
            "this in practice."
        ),
    ),
    (
        4,
        2,
        "Nadruk op STEM-elementen",
        "Emphasis on STEM elements",
        (
            "Het gaat om de plaats die wetenschappen, technologie, engineering en wiskunde krijgen in het "
            "lessenpakket en de studierichtingen van jullie school. Denk aan lesuren, STEM-modules, het "
            "STEM-aanbod per finaliteit en een STEM-leerlijn van de eerste tot de derde graad; vraag je af of "
            "STEM alleen in enkele richtingen zichtbaar is of schoolbreed en doordacht wordt aangeboden."
        ),
        (
            "This is about the place science, technology, engineering and mathematics have in the timetable and "
            "the study programmes of your school. Think of teaching hours, STEM modules, the STEM offer per "
            "track and a STEM learning line from the first to the third stage; ask yourselves whether STEM is "
            "visible in only a few programmes or offered school-wide and by design."
        ),
        (
            "De school heeft een uitgeschreven STEM-leerlijn: alle leerlingen van de eerste graad volgen twee "
            "lesuren STEM per week, en vanaf de tweede graad zijn er STEM-richtingen in alle finaliteiten, van "
            "elektromechanische technieken tot wetenschappen-wiskunde."
        ),
        (
            "The school has a written STEM learning line: all first-stage pupils take two STEM lessons a week, "
            "and from the second stage on there are STEM programmes in every track, from electromechanical "
            "techniques to science-mathematics."
        ),
    ),
    (
        5,
        2,
        "Interdisciplinair lesgeven",
        "Interdisciplinary teaching",
        (
            "Leerkrachten van verschillende vakken verbinden hun leerinhouden rond een gemeenschappelijk thema "
            "of probleem, met respect voor de eigenheid van elk vak. Vraag je af of er enkel losse afspraken "
            "tussen vakken zijn (beginnend), of er geregeld projecten met minstens twee vakken lopen waarvoor "
            "leerkrachten overlegtijd krijgen (ingebed), of dat integratie structureel is via een Teacher Design "
            "Team (voorbeeldig)."
        ),
        (
            "Teachers of different subjects connect their content around a shared theme or problem, while "
            "respecting what is specific to each subject. Ask yourselves whether there are only loose agreements "
            "between subjects (beginning), whether projects involving at least two subjects run regularly with "
            "time for teachers to plan together (embedded), or whether integration is structural via a Teacher "
            "Design Team (exemplary)."
        ),
        (
            "Een Teacher Design Team van wiskunde, fysica en elektriciteit werkt met een iSTEM-coach een project "
            "uit rond een zonnepaneleninstallatie: wiskunde behandelt de functies, fysica de elektrische stroom "
            "en de praktijkles de montage. Het team heeft daarvoor een vast overlegmoment in het lessenrooster."
        ),
        (
            "A Teacher Design Team from mathematics, physics and electricity works with an iSTEM coach on a "
            "project about a solar panel installation: mathematics covers the functions, physics the electric "
            "current and the practical lessons the installation. The team has a fixed planning slot in the "
            "timetable for it."
        ),
    ),
    (
        6,
        2,
        "Lessen relateren aan de praktijk",
        "Relating lessons to real-world practice",
        (
            "Leerlingen zien hoe wat ze leren gebruikt wordt in bedrijven, beroepen en de maatschappij. Denk aan "
            "authentieke contexten, bedrijfsbezoeken, gastsprekers, stages, duaal leren en een GIP of eindwerk "
            "met een echte opdrachtgever; vraag je af of die link afhangt van toevallige contacten of "
            "systematisch in de jaarplanning van elke richting zit."
        ),
        (
            "Pupils see how what they learn is used in companies, jobs and society. Think of authentic contexts, "
            "company visits, guest speakers, work placements, dual learning and an integrated final assignment "
            "(GIP) with a real client; ask yourselves whether this link depends on chance contacts or is "
            "systematically part of the annual plan of every programme."
        ),
        (
            "Zesdejaars elektromechanica werken hun geïntegreerde proef uit rond een echte storing op een "
            "productielijn van een bedrijf uit de buurt en stellen hun oplossing voor aan de "
            "onderhoudsverantwoordelijke van dat bedrijf."
        ),
        (
            "Sixth-year electromechanics pupils build their integrated final assignment around a real fault on a "
            "production line of a local company and present their solution to that company's maintenance "
            "manager."
        ),
    ),
    (
        7,
        3,
        "Continue evaluatie",
        "Continuous assessment",
        (
            "Leerlingen krijgen doorheen het schooljaar geregeld feedback over hun vooruitgang, niet enkel "
            "punten op toetsen en examens. Denk aan permanente evaluatie, tussentijdse feedback, zelf- en "
            "peerevaluatie en het beoordelen van het proces in projecten; vraag je af of die feedback leerlingen "
            "en leerkrachten echt helpt om bij te sturen, en of dat in één vak gebeurt of in de hele "
            "STEM-werking."
        ),
        (
            "Pupils regularly get feedback on their progress throughout the school year, not just marks on tests "
            "and exams. Think of continuous assessment, interim feedback, self- and peer assessment and "
            "assessing the process in projects; ask yourselves whether this feedback really helps pupils and "
            "teachers to adjust, and whether it happens in one subject or across all of your STEM work."
        ),
        (
            "Bij elk STEM-project geven leerkrachten feedback op vaste mijlpalen met een rubric die de "
            "leerlingen vooraf kennen. Leerlingen houden een digitaal logboek bij, en op het rapport staat naast "
            "punten ook commentaar over onderzoeks- en samenwerkingsvaardigheden."
        ),
        (
            "In every STEM project, teachers give feedback at fixed milestones using a rubric that pupils know "
            "in advance. Pupils keep a digital logbook, and besides marks the school report also includes "
            "comments on research and collaboration skills."
        ),
    ),
    (
        8,
        3,
        "Persoonlijke evaluatie",
        "Personalised assessment",
        (
            "De evaluatie houdt rekening met het leerproces van elke leerling: persoonlijke doelen, sterktes en "
            "werkpunten, en de eigen bijdrage in een groepsproject. Vraag je af of jullie vooral klassikaal en "
            "met het klassieke rapport evalueren (beginnend), of leerlingen met een portfolio en "
            "evaluatiegesprekken hun eigen groei opvolgen (ingebed), en of dat consequent gebeurt in alle "
            "STEM-richtingen (voorbeeldig)."
        ),
        (
            "Assessment takes each pupil's learning process into account: personal goals, strengths and points "
            "for improvement, and their own contribution to a group project. Ask yourselves whether you mainly "
            "assess class-wide with the traditional report (beginning), whether pupils follow their own growth "
            "with a portfolio and assessment conversations (embedded), and whether this happens consistently in "
            "all STEM programmes (exemplary)."
        ),
        (
            "In de tweede graad houdt elke leerling een STEM-portfolio bij met persoonlijke leerdoelen en "
            "bespreekt het twee keer per jaar met de klastitularis. Bij groepsprojecten beoordelen de leerlingen "
            "ook elkaars bijdrage met een eenvoudige peerevaluatie."
        ),
        (
            "In the second stage (years 3–4), every pupil keeps a STEM portfolio with personal learning goals "
            "and discusses it twice a year with their form teacher. In group projects, pupils also rate each "
            "other's contribution with a simple peer assessment."
        ),
    ),
    (
        9,
        4,
        "Hooggekwalificeerd STEM-personeel",
        "Highly qualified STEM staff",
        (
            "Het gaat om leerkrachten met sterke vakkennis én didactische bekwaamheid in hun STEM-vak, die mee "
            "zijn met nieuwe technologie. Denk aan vakspecifieke diploma's, zij-instromers met bedrijfservaring "
            "en de begeleiding van nieuwe leerkrachten; vraag je af of jullie STEM-werking op één of twee "
            "trekkers draait of op een breed team dat zijn kennis deelt."
        ),
        (
            "This is about teachers with strong subject knowledge and teaching skills in their STEM subject, who "
            "keep up with new technology. Think of subject-specific degrees, career changers with industry "
            "experience and the induction of new teachers; ask yourselves whether your STEM work relies on one "
            "or two driving forces or on a broad team that shares its knowledge."
        ),
        (
            "De school werft gericht zij-instromers uit de industrie, zoals een ex-onderhoudstechnicus voor de "
            "praktijkvakken, en koppelt elke nieuwe STEM-leerkracht aan een ervaren collega als mentor. Zo zit "
            "de expertise verspreid over het hele team."
        ),
        (
            "The school deliberately recruits career changers from industry, such as a former maintenance "
            "technician for the practical subjects, and pairs every new STEM teacher with an experienced "
            "colleague as mentor. That way the expertise is spread across the whole team."
        ),
    ),
    (
        10,
        4,
        "Ondersteuning voor levenslang leren",
        "Support for lifelong learning",
        (
            "De school moedigt leerkrachten aan om hun hele loopbaan bij te leren, ook buiten formele "
            "opleidingen, en geeft er tijd en ruimte voor. Denk aan intervisie, lerende netwerken, "
            "bedrijfsstages voor leerkrachten en tijd om nieuwe technologie uit te proberen; vraag je af of "
            "bijleren vooral een individueel initiatief is of deel uitmaakt van een professionaliseringsplan dat "
            "aansluit bij jullie STEM-strategie."
        ),
        (
            "The school encourages teachers to keep learning throughout their career, also outside formal "
            "training, and gives them time and room to do so. Think of peer review groups, learning networks, "
            "company placements for teachers and time to try out new technology; ask yourselves whether learning "
            "is mostly an individual initiative or part of a professional development plan that fits your STEM "
            "strategy."
        ),
        (
            "Elke STEM-leerkracht loopt om de twee jaar enkele dagen mee in een bedrijf uit de regio, "
            "bijvoorbeeld op de onderhoudsafdeling. In de vakgroep delen ze daarna wat ze leerden en passen ze "
            "hun lesmateriaal aan."
        ),
        (
            "Every two years, each STEM teacher spends a few days shadowing at a company in the region, for "
            "example in the maintenance department. Afterwards they share what they learned in their subject "
            "team and update their teaching materials."
        ),
    ),
    (
        11,
        4,
        "Professionele ontwikkeling door opleiding",
        "Professional development through training",
        (
            "Leerkrachten volgen gerichte nascholingen die hun STEM-kennis en -didactiek versterken. Denk aan "
            "opleidingen bij iSTEM, het RTC, MTECH+, een hogeschool of het mentorbedrijf; vraag je af of "
            "nascholingen los gekozen worden of gepland vanuit een opleidingsbeleid, of jullie ze registreren en "
            "of de kennis nadien gedeeld wordt met collega's en directie."
        ),
        (
            "Teachers take targeted in-service training that strengthens their STEM knowledge and teaching "
            "methods. Think of courses at iSTEM, the RTC, MTECH+, a university college or the mentor company; "
            "ask yourselves whether training is chosen ad hoc or planned from a training policy, whether you "
            "record it and whether the knowledge is shared with colleagues and school leadership afterwards."
        ),
        (
            "Volgens het professionaliseringsplan volgen twee leerkrachten elektriciteit een PLC-opleiding bij "
            "het RTC en het hele STEM-team een iSTEM-nascholing. Op een pedagogische studiedag geven ze hun "
            "kennis door, en alle opleidingen staan in een gedeeld overzicht."
        ),
        (
            "Following the professional development plan, two electricity teachers take a PLC course at the RTC "
            "and the whole STEM team attends an iSTEM training. They pass on what they learned on a staff "
            "training day, and all courses are kept in a shared overview."
        ),
    ),
    (
        12,
        5,
        "Directie stimuleert STEM en maakt budget vrij",
        "School leadership encourages STEM and allocates budget",
        (
            "De directie draagt STEM actief uit: er is een visie en een STEM-strategie met concrete ambities, en "
            "er gaan tijd, mensen en middelen naartoe. Denk aan een STEM-coördinator of TAC met uren voor die "
            "taak, overlegtijd in het lessenrooster en een eigen STEM-budget; vraag je af of de ambities intern "
            "en extern duidelijk gecommuniceerd worden en of ze ook in de begroting terug te vinden zijn."
        ),
        (
            "School leadership actively promotes STEM: there is a vision and a STEM strategy with concrete "
            "ambitions, and time, people and resources go to it. Think of a STEM coordinator or TAC with hours "
            "for that role, planning time in the timetable and a dedicated STEM budget; ask yourselves whether "
            "the ambitions are clearly communicated inside and outside the school and whether they show up in "
            "the budget too."
        ),
        (
            "Het schoolbeleidsplan bevat een STEM-strategie met jaarlijkse doelen. De directie maakt uren vrij "
            "voor een STEM-coördinator, voorziet elk jaar een vast budget voor STEM-projecten en -materiaal en "
            "bespreekt de voortgang twee keer per jaar met het STEM-team."
        ),
        (
            "The school policy plan contains a STEM strategy with yearly goals. School leadership frees up hours "
            "for a STEM coordinator, sets aside a fixed annual budget for STEM projects and equipment and "
            "reviews progress with the STEM team twice a year."
        ),
    ),
    (
        13,
        5,
        "Hoog niveau van samenwerking tussen medewerkers en met partners",
        "High level of collaboration among staff and with partners",
        (
            "Leerkrachten, vakgroepen, directie en externe partners werken structureel samen aan het "
            "STEM-onderwijs in plaats van elk op hun eiland. Denk aan vakoverschrijdende werkgroepen, gedeelde "
            "planning en materialen en vaste overlegmomenten met bedrijven en andere partners; vraag je af of "
            "die samenwerking afhangt van persoonlijke contacten of georganiseerd is met duidelijke rollen en "
            "afspraken."
        ),
        (
            "Teachers, subject teams, school leadership and external partners work together on STEM education in "
            "a structural way instead of each on their own island. Think of cross-subject working groups, shared "
            "planning and materials, and regular meetings with companies and other partners; ask yourselves "
            "whether this collaboration depends on personal contacts or is organised with clear roles and "
            "agreements."
        ),
        (
            "Een STEM-werkgroep met leerkrachten uit alle graden, de TAC en een directielid komt maandelijks "
            "samen. Twee keer per jaar schuiven ook het mentorbedrijf en een lector van de hogeschool aan om de "
            "STEM-projecten mee te plannen en te evalueren."
        ),
        (
            "A STEM working group with teachers from all stages, the TAC and a member of school leadership meets "
            "monthly. Twice a year the mentor company and a lecturer from the university college join to help "
            "plan and evaluate the STEM projects."
        ),
    ),
    (
        14,
        5,
        "Inclusieve cultuur",
        "Inclusive culture",
        (
            "Alle leerlingen voelen zich welkom in STEM en krijgen gelijke kansen, ongeacht gender, achtergrond, "
            "finaliteit of specifieke onderwijsbehoeften. Denk aan rolmodellen, het aandeel meisjes in "
            "STEM-richtingen, de beeldvorming over arbeidsmarktgerichte richtingen en redelijke aanpassingen; "
            "vraag je af of jullie dit opvolgen met cijfers en er gericht acties op zetten."
        ),
        (
            "All pupils feel welcome in STEM and get equal opportunities, regardless of gender, background, "
            "track or special educational needs. Think of role models, the share of girls in STEM programmes, "
            "the image of labour-market-oriented programmes and reasonable adjustments; ask yourselves whether "
            "you monitor this with figures and take targeted action on it."
        ),
        (
            "De school volgt elk jaar op hoeveel meisjes en leerlingen met een migratieachtergrond voor een "
            "STEM-richting kiezen. Vrouwelijke ingenieurs en technici uit de buurt komen hun job voorstellen, en "
            "leerlingen uit alle finaliteiten werken samen in gemengde projectteams."
        ),
        (
            "Every year the school tracks how many girls and pupils with a migration background choose a STEM "
            "programme. Female engineers and technicians from the area come to present their jobs, and pupils "
            "from all tracks work together in mixed project teams."
        ),
    ),
    (
        15,
        6,
        "Samenwerking met de industrie",
        "Partnerships with industry",
        (
            "Bedrijven zijn echte partners van de school, niet enkel leveranciers van stageplaatsen of "
            "materiaal. Denk aan gastlessen, bedrijfsbezoeken, stages en duaal leren, gedeelde infrastructuur, "
            "opdrachten uit de praktijk en meedenken over leerplan en lesmateriaal; vraag je af of de "
            "samenwerking los en eenmalig is (beginnend) of structureel, over meerdere jaren en met engagementen "
            "van beide kanten (ingebed tot voorbeeldig)."
        ),
        (
            "Companies are real partners of the school, not just suppliers of work placements or equipment. "
            "Think of guest lessons, company visits, placements and dual learning, shared infrastructure, "
            "real-world assignments and input on the curriculum and teaching materials; ask yourselves whether "
            "the cooperation is loose and one-off (beginning) or structural, over several years and with "
            "commitments on both sides (embedded to exemplary)."
        ),
        (
            "School en mentorbedrijf maken elk jaar samen een actieplan: het bedrijf levert de centrale "
            "uitdaging voor een STEM-project, stelt zijn opleidingscentrum met een robot open voor leerlingen en "
            "leerkrachten en biedt zesdejaars stageplaatsen en duale trajecten aan."
        ),
        (
            "Each year the school and its mentor company draw up an action plan together: the company provides "
            "the central challenge for a STEM project, opens its training centre and robot to pupils and "
            "teachers, and offers sixth-year pupils work placements and dual-learning tracks."
        ),
    ),
    (
        16,
        6,
        "Samenwerking met ouders en begeleiders",
        "Partnerships with parents and carers",
        (
            "Ouders en andere begeleiders wegen sterk op de studiekeuze, dus betrek hen bij het STEM-verhaal van "
            "jullie school. Denk aan infoavonden, opendeurdagen, projectvoorstellingen, ouders als gastspreker "
            "en samenwerking met het CLB; vraag je af of ouders goed op de hoogte zijn van jullie STEM-aanbod en "
            "de toekomstmogelijkheden, en of ze actief kunnen meedoen."
        ),
        (
            "Parents and other carers strongly influence study choices, so involve them in the school's STEM "
            "story. Think of information evenings, open days, project presentations, parents as guest speakers "
            "and cooperation with the CLB (pupil guidance centre); ask yourselves whether parents are well "
            "informed about your STEM offer and future prospects, and whether they can take an active part."
        ),
        (
            "Op het einde van elk project nodigen leerlingen hun ouders uit op een STEM-beurs waar ze hun werk "
            "tonen. Ouders met een technisch of wetenschappelijk beroep geven gastlessen, en op de infoavond van "
            "de eerste graad vertellen oud-leerlingen waar hun STEM-richting hen gebracht heeft."
        ),
        (
            "At the end of each project, pupils invite their parents to a STEM fair where they show their work. "
            "Parents with a technical or scientific job give guest lessons, and at the first-stage information "
            "evening former pupils tell where their STEM programme has taken them."
        ),
    ),
    (
        17,
        6,
        "Samenwerking met andere scholen en educatieve platformen",
        "Partnerships with other schools and educational platforms",
        (
            "De school leert van en met andere scholen en gebruikt het aanbod van educatieve organisaties en "
            "platformen. Denk aan de scholengemeenschap, basisscholen (voor de STEM-leerlijn en de studiekeuze), "
            "lerende netwerken, STEM-academies, Technopolis, iSTEM, FIRST LEGO League of Scientix; vraag je af "
            "of het bij losse deelnames blijft of jullie er structureel kennis en materiaal delen."
        ),
        (
            "The school learns from and with other schools and uses what educational organisations and platforms "
            "offer. Think of your school community, primary schools (for the STEM learning line and study "
            "choice), learning networks, STEM academies, Technopolis, iSTEM, FIRST LEGO League or Scientix; ask "
            "yourselves whether it stays at one-off participation or whether you share knowledge and materials "
            "structurally."
        ),
        (
            "De school organiseert met de basisscholen uit de buurt STEM-workshops voor het zesde leerjaar, "
            "wisselt lesmateriaal uit binnen de scholengemeenschap en neemt elk jaar met een team uit de eerste "
            "graad deel aan FIRST LEGO League."
        ),
        (
            "Together with local primary schools, the school runs STEM workshops for pupils in the last year of "
            "primary school, exchanges teaching materials within its school community and enters a first-stage "
            "team in FIRST LEGO League every year."
        ),
    ),
    (
        18,
        6,
        "Samenwerking met hoger onderwijs en onderzoekscentra",
        "Partnerships with higher education and research centres",
        (
            "Samenwerking met hogescholen, universiteiten en onderzoekscentra toont leerlingen waar STEM na het "
            "secundair naartoe leidt en geeft leerkrachten toegang tot nieuwe kennis. Denk aan afstemming van "
            "leerinhouden om slaagkansen te verhogen, de lerarenopleiding, proeven in een hogeschoollabo en "
            "gedeelde infrastructuur; vraag je af of het bij een infodag blijft of een structurele samenwerking "
            "is."
        ),
        (
            "Cooperation with university colleges, universities and research centres shows pupils where STEM can "
            "lead after secondary school and gives teachers access to new knowledge. Think of aligning content "
            "to raise success rates, teacher training, experiments in a college lab and shared infrastructure; "
            "ask yourselves whether it stays at an information day or is a structural partnership."
        ),
        (
            "Leerlingen uit de derde graad wetenschappen-wiskunde doen elk jaar proeven in het labo van een "
            "hogeschool in de buurt. Docenten industriële wetenschappen stemmen met de wiskundeleerkrachten af "
            "welke voorkennis eerstejaars nodig hebben, en de school ontvangt stagiairs van de lerarenopleiding."
        ),
        (
            "Third-stage science-mathematics pupils carry out experiments in the lab of a nearby university "
            "college every year. Lecturers in industrial science agree with the mathematics teachers on the "
            "prior knowledge first-year students need, and the school hosts student teachers from the teacher "
            "training programme."
        ),
    ),
    (
        19,
        6,
        "Samenwerking met lokale gemeenschappen",
        "Partnerships with local communities",
        (
            "De school werkt samen met de gemeente, verenigingen en andere lokale partners en zet STEM in voor "
            "uitdagingen uit de eigen buurt. Denk aan projecten met het lokaal bestuur, STEM-academies, "
            "maakbibs, repaircafés en een STEM-ecosysteem in de regio; vraag je af of leerlingen hun STEM-kennis "
            "ook buiten de schoolmuren inzetten en of de buurt weet wat jullie doen."
        ),
        (
            "The school works with the municipality, local associations and other local partners and uses STEM "
            "to tackle challenges in its own neighbourhood. Think of projects with the local council, STEM "
            "academies, maker libraries, repair cafés and a regional STEM ecosystem; ask yourselves whether "
            "pupils also use their STEM knowledge beyond the school walls and whether the neighbourhood knows "
            "what you do."
        ),
        (
            "Leerlingen bouwen samen met de gemeente sensoren die de luchtkwaliteit en het fietsverkeer rond de "
            "school meten, stellen de resultaten voor op de gemeenteraad en begeleiden workshops voor "
            "basisschoolkinderen in de lokale STEM-academie."
        ),
        (
            "Together with the municipality, pupils build sensors that measure air quality and bicycle traffic "
            "around the school, present the results to the municipal council and run workshops for primary "
            "school children at the local STEM academy."
        ),
    ),
    (
        20,
        7,
        "Toegang tot technologie en apparatuur",
        "Access to technology and equipment",
        (
            "Leerlingen en leerkrachten kunnen werken met actuele technologie die aansluit bij het "
            "vervolgonderwijs en de werkvloer. Denk aan labo's, ateliers, een makerspace, 3D-printers, PLC's, "
            "robots en software, maar ook aan toestellen bij het RTC, een hogeschool of bedrijven; vraag je af "
            "of de apparatuur up-to-date en voldoende beschikbaar is voor alle leerlingen en of de leerkrachten "
            "ermee overweg kunnen."
        ),
        (
            "Pupils and teachers can work with current technology that matches further education and the "
            "workplace. Think of labs, workshops, a makerspace, 3D printers, PLCs, robots and software, but also "
            "of equipment at the RTC, a university college or companies; ask yourselves whether the equipment is "
            "up to date and available enough for all pupils, and whether teachers know how to use it."
        ),
        (
            "De school heeft een makerspace met 3D-printers en een lasersnijder die alle graden gebruiken. Voor "
            "geavanceerde toestellen zoals een cobot of een didactische productielijn kunnen de leerlingen van "
            "de derde graad terecht in het opleidingscentrum van het mentorbedrijf en bij het RTC."
        ),
        (
            "The school has a makerspace with 3D printers and a laser cutter used by all stages. For advanced "
            "equipment such as a cobot or a training production line, third-stage pupils go to the mentor "
            "company's training centre and to the RTC."
        ),
    ),
    (
        21,
        7,
        "Hoogwaardig lesmateriaal",
        "High-quality teaching materials",
        (
            "Het lesmateriaal is actueel, sluit aan bij de leerplandoelen en ondersteunt onderzoekend en "
            "geïntegreerd STEM-onderwijs. Denk aan eigen cursussen, lespakketten van iSTEM, digitale "
            "leerplatforms, simulaties en materiaal dat samen met bedrijven is ontwikkeld; vraag je af wie het "
            "materiaal geregeld bijwerkt, of het na gebruik in de klas geëvalueerd wordt en of collega's het "
            "kunnen hergebruiken."
        ),
        (
            "Teaching materials are up to date, match the curriculum goals and support inquiry-based and "
            "integrated STEM education. Think of your own course materials, iSTEM lesson packages, digital "
            "learning platforms, simulations and materials developed together with companies; ask yourselves who "
            "regularly updates them, whether they are evaluated after use in class and whether colleagues can "
            "reuse them."
        ),
        (
            "Het STEM-team houdt een gedeelde bibliotheek bij met geteste projecten, waaronder "
            "iSTEM-lespakketten en een module over veiligheid die samen met het mentorbedrijf werd ontwikkeld. "
            "Na elk project passen de leerkrachten de fiches aan op basis van hun ervaringen in de klas."
        ),
        (
            "The STEM team keeps a shared library of tested projects, including iSTEM lesson packages and a "
            "safety module developed together with the mentor company. After each project, teachers update the "
            "worksheets based on their experience in class."
        ),
    ),
]
