//! The command line grammar. Names and flags are a contract: scripts depend on them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// What `roster --version` prints after the name: the package version and the commit it was built
/// from (`unknown` outside a git checkout; see `build_commit.rs`), e.g. `0.1.0 (6ecd641)`.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ROSTER_COMMIT"), ")");

/// Bulk downloads of Microsoft Entra ID users, groups and group members to CSV: fast, exact and
/// resumable. Every download is a job you can list, resume, cancel and delete.
///
/// Exit codes: 0 done; 1 done, but some requested objects could not be read; 2 bad input
/// (flags, column names, files); 3 sign-in or permission problem; 4 Graph or network failure
/// (resume the job later); 5 stopped (cancelled or interrupted; resume it).
#[derive(Debug, Parser)]
#[command(name = "roster", version = VERSION, about, long_about)]
pub struct Cli {
    /// Microsoft Graph service root without a version (https://graph.microsoft.com; for the
    /// local emulator http://127.0.0.1:PORT).
    #[arg(long, global = true, env = "ROSTER_GRAPH_URL", value_name = "URL")]
    pub graph_url: Option<String>,
    /// Identity platform host (https://login.microsoftonline.com, or the emulator's).
    #[arg(long, global = true, env = "ROSTER_AUTHORITY", value_name = "URL")]
    pub authority: Option<String>,
    /// Tenant id or domain to sign in to.
    #[arg(long, global = true, env = "ROSTER_TENANT", value_name = "T")]
    pub tenant: Option<String>,
    /// Application (client) id to sign in with.
    #[arg(long, global = true, env = "ROSTER_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,
    /// Folder of the job database and settings (default: the OS app-data folder).
    #[arg(long, global = true, env = "ROSTER_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// App-only sign-in for this command: the environment variable holding the client secret of
    /// the app named by --client-id in --tenant (for scheduled jobs; nothing is stored).
    #[arg(long, global = true, value_name = "VAR")]
    pub client_secret_env: Option<String>,
    /// App-only sign-in for this command with a certificate of the app named by --client-id in
    /// --tenant: a PEM file (certificate and private key) or a PFX/PKCS#12 file.
    #[arg(long, global = true, value_name = "FILE")]
    pub client_certificate: Option<PathBuf>,
    /// The environment variable holding the password of the --client-certificate file (a PFX, or an
    /// encrypted PEM key).
    #[arg(long, global = true, value_name = "VAR")]
    pub client_certificate_password_env: Option<String>,
    /// App-only sign-in for this command as the managed identity of the Azure host Roster runs on
    /// (App Service IDENTITY_ENDPOINT/IDENTITY_HEADER, or IMDS); --client-id picks a user-assigned one.
    #[arg(long, global = true)]
    pub managed_identity: bool,
    /// App-only sign-in for this command with the account the Azure CLI is signed in to (`az login`;
    /// Roster runs `az account get-access-token`).
    #[arg(long, global = true)]
    pub azure_cli: bool,
    /// The signed-in account to use (default: the active one).
    #[arg(long, global = true, value_name = "UPN")]
    pub account: Option<String>,
    /// Run against a built-in demo tenant (a local emulator), signed in as its admin.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Download users, groups, group members or owners, or users' groups to a CSV file.
    #[command(subcommand)]
    Download(Download),
    /// List, inspect, resume, cancel or delete jobs.
    #[command(subcommand)]
    Jobs(Jobs),
    /// Add or remove group members listed in a file (previewed first).
    #[command(subcommand)]
    Members(crate::members::Members),
    /// Sign in (browser, or device code with --device-code; --account pre-fills the account);
    /// with --client-secret-env, checks app-only credentials instead.
    Login(Login),
    /// Sign out (the active account, or the one named with --account) and forget its tokens.
    Logout,
    /// Show who is signed in, to which tenant, with which permissions.
    Whoami,
    /// List the signed-in accounts.
    Accounts,
    /// Explore a downloaded CSV offline (no sign-in, no network).
    #[command(subcommand)]
    Review(crate::review::Review),
    /// Compare two snapshots of the same kind (users, groups or members) offline: added, removed,
    /// changed. Exit 2 when the files cannot be compared.
    Diff(crate::review::DiffArgs),
    /// Dynamic membership rules, offline: check one, or evaluate it on a users file.
    #[command(subcommand)]
    Rule(crate::rule::Rule),
}

/// `roster login` flags.
#[derive(Debug, Args)]
pub struct Login {
    /// Sign in with a device code (for machines without a browser).
    #[arg(long)]
    pub device_code: bool,
    /// Print the sign-in URL instead of opening a browser.
    #[arg(long)]
    pub no_browser: bool,
    /// Also allow membership changes: asks for GroupMember.ReadWrite.All now (otherwise Roster asks
    /// for it when `members add|remove` needs it, and names this flag when that needs a sign-in).
    #[arg(long)]
    pub allow_changes: bool,
    /// Also allow saving dynamic groups' membership rules (the app's rule lab): asks for
    /// Group.ReadWrite.All now (otherwise the app asks for it when a rule is saved, and names this
    /// flag when that needs a sign-in).
    #[arg(long)]
    pub allow_rule_changes: bool,
    /// The same as the global --client-certificate FILE: checks app-only certificate credentials.
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<PathBuf>,
}

/// `roster download ...`.
#[derive(Debug, Subcommand)]
pub enum Download {
    /// Download users.
    Users(Users),
    /// Download groups.
    Groups(Groups),
    /// Download the members of one or more groups into one file.
    Members(Members),
    /// Download the owners of one or more groups into one file: one row per group and owner.
    Owners(Owners),
    /// Download the groups of one or more users into one file: one row per user and group.
    UserGroups(UserGroups),
}

/// Output file flags shared by the downloads.
#[derive(Debug, Args)]
pub struct Output {
    /// The CSV file to write (written as FILE.part until complete).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// How it is written.
    #[command(flatten)]
    pub format: CsvFormat,
}

/// How a CSV file is written: the same flags for downloads, comparisons and rule results.
#[derive(Debug, Args)]
pub struct CsvFormat {
    /// Field separator.
    #[arg(long, value_enum, default_value = "comma")]
    pub delimiter: DelimiterArg,
    /// Do not start the file with a UTF-8 byte-order mark (Excel needs it; programs may not).
    #[arg(long)]
    pub no_bom: bool,
    /// Spreadsheet formula guard: prefix formula-like cells with `'`.
    #[arg(long, value_enum, default_value = "standard")]
    pub formula_guard: GuardArg,
}

/// `--delimiter`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DelimiterArg {
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// Tab.
    Tab,
}

/// `--formula-guard`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GuardArg {
    /// Guard formula-like cells, leave numbers and phone numbers alone.
    Standard,
    /// Guard every formula-like cell.
    Strict,
    /// Write cells unchanged.
    Off,
}

/// `roster download users`.
#[derive(Debug, Args)]
pub struct Users {
    /// Columns: `portal` (the admin center's 26), `all`, or a comma-separated list.
    #[arg(long, default_value = "portal", value_name = "portal|all|a,b,c")]
    pub columns: String,
    /// Which users.
    #[command(flatten)]
    pub users: UserChoice,
    /// Slices of the directory read at once (1: one chain of pages, gentlest on the tenant;
    /// default: a large download is split by userPrincipalName ranges, and how many are read at
    /// once follows Graph's throttling headers, from 8 up).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub parallel: Option<u32>,
    /// Output file and format.
    #[command(flatten)]
    pub output: Output,
}

/// Which users a download reads: a filter (the pickers, `--filter`, `--search`) or a file of ids.
#[derive(Debug, Args)]
pub struct UserChoice {
    /// Raw OData $filter, e.g. "startswith(displayName,'a')".
    #[arg(long, value_name = "ODATA")]
    pub filter: Option<String>,
    /// Words to find in display name, UPN or mail.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// A file of object ids or UPNs, one per line (or a CSV whose first column holds them).
    #[arg(long, value_name = "F", conflicts_with_all = ["filter", "search"])]
    pub ids_file: Option<PathBuf>,
    /// Members or guests only (repeat for either).
    #[arg(long, value_enum)]
    pub user_type: Vec<UserTypeArg>,
    /// Only users whose sign-in is allowed (true) or blocked (false).
    #[arg(long, value_name = "true|false")]
    pub enabled: Option<bool>,
    /// Exact department; repeat for users in any of several.
    #[arg(long)]
    pub department: Vec<String>,
    /// Exact country or region; repeat for users in any of several.
    #[arg(long)]
    pub country: Vec<String>,
    /// Created on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub created_from: Option<String>,
    /// Created before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub created_before: Option<String>,
}

/// `--user-type`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UserTypeArg {
    /// Members of the tenant.
    Member,
    /// B2B guests.
    Guest,
}

/// `roster download groups`.
#[derive(Debug, Args)]
pub struct Groups {
    /// Group kind; repeat for groups of any of several kinds.
    #[arg(long, value_enum)]
    pub kind: Vec<KindArg>,
    /// Assigned or dynamic membership.
    #[arg(long, value_enum)]
    pub membership: Option<MembershipArg>,
    /// Cloud or synced from Windows Server AD.
    #[arg(long, value_enum)]
    pub source: Option<SourceArg>,
    /// Only role-assignable groups (true) or only the others (false).
    #[arg(long, value_name = "true|false")]
    pub role_assignable: Option<bool>,
    /// Display name starts with this text.
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Raw OData $filter.
    #[arg(long, value_name = "ODATA")]
    pub filter: Option<String>,
    /// Columns: `default`, `all`, or a comma-separated list (`memberCount` costs a request per group).
    #[arg(long, default_value = "default", value_name = "default|all|a,b,c")]
    pub columns: String,
    /// Slices of the groups read at once (1: one chain of pages; default: a large download is
    /// split by displayName ranges, and how many are read at once follows Graph's throttling
    /// headers). Downloads with memberCount, ownerCount or hasNoOwner are read as one chain.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub parallel: Option<u32>,
    /// Output file and format.
    #[command(flatten)]
    pub output: Output,
}

/// `--kind`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// Microsoft 365 groups.
    M365,
    /// Security groups.
    Security,
    /// Mail-enabled security groups.
    MailSecurity,
    /// Distribution lists.
    Distribution,
}

/// `--membership`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MembershipArg {
    /// Members added by hand.
    Assigned,
    /// Members decided by a rule.
    Dynamic,
}

/// `--source`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// Created in Entra ID.
    Cloud,
    /// Synced from Windows Server AD.
    Synced,
}

/// Which groups a members or owners download reads: one of `--group` (repeatable),
/// `--groups-file`, `--owned` or `--group-filter`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["group", "groups_file", "owned", "group_filter"]))]
pub struct GroupChoice {
    /// A group id or exact display name (repeat for several groups).
    #[arg(long, value_name = "ID_OR_NAME")]
    pub group: Vec<String>,
    /// A file of group ids or names, one per line.
    #[arg(long, value_name = "F")]
    pub groups_file: Option<PathBuf>,
    /// Every group I own.
    #[arg(long)]
    pub owned: bool,
    /// Every group an OData $filter selects.
    #[arg(long, value_name = "ODATA")]
    pub group_filter: Option<String>,
}

/// `roster download members`.
#[derive(Debug, Args)]
pub struct Members {
    /// Which groups.
    #[command(flatten)]
    pub groups: GroupChoice,
    /// Include members of nested groups, with a nestingPath column.
    #[arg(long)]
    pub transitive: bool,
    /// Member columns to keep (comma-separated), default all.
    #[arg(long, value_name = "a,b,c")]
    pub columns: Option<String>,
    /// Output file and format.
    #[command(flatten)]
    pub output: Output,
}

/// `roster download owners`.
#[derive(Debug, Args)]
pub struct Owners {
    /// Which groups.
    #[command(flatten)]
    pub groups: GroupChoice,
    /// Owner columns (comma-separated; default groupId, groupName, ownerId,
    /// ownerUserPrincipalName, ownerDisplayName, ownerType; user properties such as jobTitle too).
    #[arg(long, value_name = "a,b,c")]
    pub columns: Option<String>,
    /// Output file and format.
    #[command(flatten)]
    pub output: Output,
}

/// `roster download user-groups`.
#[derive(Debug, Args)]
pub struct UserGroups {
    /// Which users.
    #[command(flatten)]
    pub users: UserChoice,
    /// Also the groups each user is in through nested groups, with a membership column (direct
    /// or inherited).
    #[arg(long)]
    pub transitive: bool,
    /// Columns (comma-separated; default userId, userPrincipalName, groupId, groupName and, with
    /// --transitive, membership; group columns such as groupType or mail too).
    #[arg(long, value_name = "a,b,c")]
    pub columns: Option<String>,
    /// Output file and format.
    #[command(flatten)]
    pub output: Output,
}

/// `roster jobs ...`.
#[derive(Debug, Subcommand)]
pub enum Jobs {
    /// List jobs, newest first.
    List {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show one job.
    Show {
        /// The job id.
        id: String,
    },
    /// Continue a failed, interrupted or cancelled job from its last checkpoint.
    Resume {
        /// The job id.
        id: String,
        /// Resume a job recorded as running (its process is gone).
        #[arg(long)]
        force: bool,
    },
    /// Cancel a job (a running one stops at its next page).
    Cancel {
        /// The job id.
        id: String,
    },
    /// Delete a job from the list.
    Delete {
        /// The job id.
        id: String,
        /// Also delete its CSV file (and partial file).
        #[arg(long)]
        with_files: bool,
    },
}
