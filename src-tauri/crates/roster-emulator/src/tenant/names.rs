//! Value pools for generated directory data: realistic, international, and deliberately awkward for
//! CSV writers (commas, quotes, newlines, formula-looking leading characters).

/// Given names: (display form, ASCII form used in UPNs).
pub const GIVEN: &[(&str, &str)] = &[
    ("Anna", "anna"),
    ("Ben", "ben"),
    ("Chloé", "chloe"),
    ("David", "david"),
    ("Emma", "emma"),
    ("Fatima", "fatima"),
    ("George", "george"),
    ("Hannah", "hannah"),
    ("IJsbrand", "ijsbrand"),
    ("Jürgen", "juergen"),
    ("Kenji", "kenji"),
    ("Lars", "lars"),
    ("María José", "mariajose"),
    ("Noah", "noah"),
    ("Olivia", "olivia"),
    ("Priya", "priya"),
    ("Quentin", "quentin"),
    ("Rosa", "rosa"),
    ("Søren", "soren"),
    ("Tomás", "tomas"),
    ("Uwe", "uwe"),
    ("Vera", "vera"),
    ("Wei", "wei"),
    ("Xavier", "xavier"),
    ("Yuki", "yuki"),
    ("Zoë", "zoe"),
    ("Łukasz", "lukasz"),
    ("François", "francois"),
    ("Siobhán", "siobhan"),
    ("Mohammed", "mohammed"),
    ("Aiko", "aiko"),
    ("Dmitri", "dmitri"),
];

/// Surnames: (display form, ASCII form used in UPNs).
pub const SURNAMES: &[(&str, &str)] = &[
    ("van der Berg", "vanderberg"),
    ("Groß", "gross"),
    ("Smith", "smith"),
    ("Johnson", "johnson"),
    ("García", "garcia"),
    ("Müller", "mueller"),
    ("Jansen", "jansen"),
    ("de Vries", "devries"),
    ("O'Brien", "obrien"),
    ("Nakamura", "nakamura"),
    ("Kowalski", "kowalski"),
    ("Rossi", "rossi"),
    ("Dubois", "dubois"),
    ("Nguyen", "nguyen"),
    ("Andersson", "andersson"),
    ("Papadopoulos", "papadopoulos"),
    ("Çelik", "celik"),
    ("Brown", "brown"),
    ("Wilson", "wilson"),
    ("Kim", "kim"),
    ("Singh", "singh"),
    ("Ivanova", "ivanova"),
    ("Fernández", "fernandez"),
    ("Ó Súilleabháin", "osuilleabhain"),
];

/// Whole names in scripts without an ASCII form: (given, surname, display name, ASCII alias).
pub const NON_LATIN: &[(&str, &str, &str, &str)] = &[
    ("美玲", "陳", "陳美玲", "meiling.chen"),
    ("太郎", "山田", "山田 太郎", "taro.yamada"),
    ("민준", "김", "김민준", "minjun.kim"),
    ("محمد", "العلي", "محمد العلي", "mohammed.alali"),
    ("فاطمة", "الزهراء", "فاطمة الزهراء", "fatima.alzahra"),
    ("יעל", "כהן", "יעל כהן", "yael.cohen"),
    ("Андрей", "Смирнов", "Андрей Смирнов", "andrei.smirnov"),
];

/// Departments, the first ones common; dynamic groups use these.
pub const DEPARTMENTS: &[&str] = &[
    "Sales",
    "Marketing",
    "Engineering",
    "Finance",
    "Human Resources",
    "Legal",
    "Support",
    "Operations",
    "IT",
    "Research & Development",
];

/// Department values that break naive CSV writers or spreadsheets.
pub const AWKWARD_DEPARTMENTS: &[&str] = &[
    "=HYPERLINK(\"http://example.com/x\",\"Click me\")",
    "+Growth",
    "-Ops",
    "@Mentions",
    "R&D, \"Labs\"",
];

/// Job titles.
pub const JOB_TITLES: &[&str] = &[
    "Account Manager",
    "Software Engineer",
    "Senior Software Engineer",
    "Product Manager",
    "Designer",
    "Accountant",
    "HR Business Partner",
    "Support Engineer",
    "Team Lead",
    "Director",
    "Analyst",
    "Consultant",
];

/// Job titles that break naive CSV writers.
pub const AWKWARD_TITLES: &[&str] = &[
    "Sales, \"EMEA\"",
    "=1+2",
    "Lead\nEngineer",
    "-Chief; of Staff",
];

/// A location: (country, usage location, city, state, postal code, phone prefix, office, street).
pub type Location = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Locations users live in.
pub const LOCATIONS: &[Location] = &[
    (
        "United States",
        "US",
        "Seattle",
        "WA",
        "98052",
        "+1 425",
        "Building 18/2101",
        "One Microsoft Way",
    ),
    (
        "United States",
        "US",
        "New York",
        "NY",
        "10001",
        "+1 212",
        "NYC-5/500",
        "11 Times Square",
    ),
    (
        "Netherlands",
        "NL",
        "Amsterdam",
        "Noord-Holland",
        "1017 CE",
        "+31 20",
        "AMS-3.14",
        "Evert van de Beekstraat 354",
    ),
    (
        "Germany",
        "DE",
        "München",
        "Bayern",
        "80807",
        "+49 89",
        "MUC-2/201",
        "Walter-Gropius-Straße 5",
    ),
    (
        "Japan",
        "JP",
        "東京",
        "東京都",
        "108-0075",
        "+81 3",
        "TYO-21",
        "港南 2-16-3",
    ),
    (
        "Israel",
        "IL",
        "Tel Aviv",
        "Tel Aviv",
        "6789141",
        "+972 3",
        "TLV-7",
        "Menachem Begin 144",
    ),
    (
        "United Kingdom",
        "GB",
        "London",
        "England",
        "EC2A 2BB",
        "+44 20",
        "LON-1/10",
        "2 Kingdom Street",
    ),
    (
        "France",
        "FR",
        "Paris",
        "Île-de-France",
        "92130",
        "+33 1",
        "PAR-4",
        "39 Quai du Président Roosevelt",
    ),
    (
        "Brazil",
        "BR",
        "São Paulo",
        "SP",
        "04543-907",
        "+55 11",
        "SAO-9",
        "Av. Pres. Juscelino Kubitschek, 1909",
    ),
    (
        "India",
        "IN",
        "Bengaluru",
        "Karnataka",
        "560071",
        "+91 80",
        "BLR-A/3",
        "Embassy Golf Links",
    ),
];

/// Companies guests come from (domain, company name).
pub const GUEST_DOMAINS: &[(&str, &str)] = &[
    ("fabrikam.com", "Fabrikam, Inc."),
    ("northwind.example", "Northwind Traders"),
    ("gmail.com", ""),
    ("outlook.com", ""),
    ("woodgrovebank.com", "Woodgrove Bank"),
];

/// Preferred languages.
pub const LANGUAGES: &[&str] = &[
    "en-US", "nl-NL", "de-DE", "ja-JP", "he-IL", "fr-FR", "pt-BR", "en-GB",
];

/// Words used to build group names.
pub const GROUP_TOPICS: &[&str] = &[
    "Project Phoenix",
    "Finance Team",
    "Engineering",
    "All Hands",
    "Marketing EMEA",
    "Support Tier 2",
    "Legal Review",
    "Office Amsterdam",
    "Vertrieb Süd",
    "プロジェクト 桜",
    "Board, \"Exec\" & Advisors",
    "Data Platform",
    "Security Champions",
    "Wellbeing",
    "Newsletter",
];

/// Device names and operating systems: (name prefix, operating system, version, trust type).
pub const DEVICES: &[(&str, &str, &str, &str)] = &[
    ("DESKTOP", "Windows", "10.0.22631.4317", "AzureAd"),
    ("LAPTOP", "Windows", "10.0.26100.2161", "ServerAd"),
    ("MacBook", "MacMDM", "15.1", "Workplace"),
    ("iPhone", "iOS", "18.1", "Workplace"),
    ("Pixel", "Android", "15", "Workplace"),
];

/// Application names for service principals.
pub const APPS: &[&str] = &[
    "HR Connector",
    "Payroll Sync",
    "Backup Agent",
    "CI Deploy Bot",
    "Ticketing Integration",
    "Provisioning Service",
    "Reporting Dashboard",
];

/// License SKU ids handed out to users (`assignedLicenses/skuId`).
pub const SKUS: &[&str] = &[
    "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", // Microsoft 365 Business Premium
    "05e9a617-0261-4cee-bb44-138d3ef5d965", // Microsoft 365 E3
    "18181a46-0d4e-45cd-891e-60aabd171b4e", // Office 365 E1
];
