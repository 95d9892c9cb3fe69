//! Plain-words advice for a [`GraphError`]: which permission or role is missing, which part of a query
//! Graph refused, how long throttling went on.

use std::time::Duration;

use crate::error::{ErrorKind, GraphError};

/// What the person running the job should do about `error`.
pub(crate) fn advice(error: &GraphError) -> String {
    match error.kind {
        ErrorKind::Auth => {
            "Sign in again (the session expired or was revoked), then resume the job.".to_owned()
        }
        ErrorKind::Permission => permission_advice(&error.request.method, &error.request.path),
        ErrorKind::NotFound => {
            "The object does not exist: check the id or user principal name. An object \
            created or deleted in the last minutes may not have replicated yet."
                .to_owned()
        }
        ErrorKind::AlreadyExists => "It is already a member; nothing to do.".to_owned(),
        ErrorKind::NotPresent => "It is not a member; nothing to remove.".to_owned(),
        ErrorKind::UnsupportedQuery => query_advice(error),
        ErrorKind::BadRequest => {
            "Graph refused the request as written; check the value named in the message.".to_owned()
        }
        ErrorKind::Throttled => format!(
            "Graph kept throttling the requests (429) for {} over {} attempts. Wait a few minutes and resume \
             the job, or run fewer jobs at the same time.",
            human(error.elapsed),
            error.attempts
        ),
        ErrorKind::Transient => format!(
            "Graph stayed unavailable ({}) for {} over {} attempts. Resume the job later.",
            error
                .status
                .map_or_else(|| "503/504".to_owned(), |s| s.to_string()),
            human(error.elapsed),
            error.attempts
        ),
        ErrorKind::Server => {
            "Graph failed internally; try again later, and quote the request-id to Microsoft \
            support if it keeps happening."
                .to_owned()
        }
        ErrorKind::Network => format!(
            "Microsoft Graph could not be reached (tried {} times over {}). Check the network connection, \
             proxy or firewall, then resume the job.",
            error.attempts,
            human(error.elapsed)
        ),
        ErrorKind::Decode => {
            "Graph answered with data Roster could not read; try again, and report it if it \
            persists."
                .to_owned()
        }
        ErrorKind::Usage => {
            "This is a bug or a setting to correct in Roster, not a Graph problem.".to_owned()
        }
    }
}

/// Which permission and role a 403 on `method path` points to.
fn permission_advice(method: &str, path: &str) -> String {
    let full = path.to_ascii_lowercase();
    if full.contains("/subscribedskus") {
        return "The licence columns read the tenant's licences (GET /subscribedSkus), which needs \
            LicenseAssignment.Read.All (or Organization.Read.All / Directory.Read.All); an admin must consent. \
            Sign in again to be asked for it (`roster login`), or leave out the columns licenses, \
            licenseNames and licenseDisabledPlans."
            .to_owned();
    }
    if full.contains("/users") && full.contains("signinactivity") {
        return "Sign-in activity (the signInActivity columns and daysSinceLastSignIn) needs AuditLog.Read.All \
            besides User.Read.All, an admin's consent, a role such as Reports Reader or Global Reader when \
            signed in as a user, and a tenant with Microsoft Entra ID P1 or P2. Sign in again to be asked for \
            it (`roster login`), or leave out the sign-in activity columns."
            .to_owned();
    }
    let path = path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = path.strip_prefix("/v1.0").unwrap_or(&path);
    let is_read = method.eq_ignore_ascii_case("GET");
    let is_members = path.contains("/members") || path.contains("/transitivemembers");
    if path.starts_with("/groups/") && !is_read {
        return "Changing group membership needs the GroupMember.ReadWrite.All permission (an admin must \
            consent) and, when signed in as a user, the Groups Administrator role (or User Administrator / \
            Directory Writers) or being an owner of the group. Mail-enabled security groups and distribution \
            lists can only be changed in Exchange; role-assignable groups also need \
            RoleManagement.ReadWrite.Directory and the Privileged Role Administrator role."
            .to_owned();
    }
    if path.starts_with("/groups") && is_members {
        return "Reading members needs GroupMember.Read.All (or Group.Read.All / Directory.Read.All); an admin \
            must consent. Groups with hidden membership also need Member.Read.Hidden. When signed in as a \
            user, guests need a role such as Directory Readers or Global Reader."
            .to_owned();
    }
    if path.starts_with("/groups") {
        return "Reading groups needs Group.Read.All (or GroupMember.Read.All / Directory.Read.All); an admin \
            must consent. Roles that grant it to a signed-in user: Directory Readers, Global Reader, Groups \
            Administrator."
            .to_owned();
    }
    if path.starts_with("/users") {
        return "Reading users needs User.Read.All (or Directory.Read.All); an admin must consent. Roles that \
            grant it to a signed-in user: Directory Readers, Global Reader, User Administrator (member users \
            can read users once the app is consented; guests cannot)."
            .to_owned();
    }
    if path.starts_with("/me/") {
        return "Listing owned objects needs a signed-in user (not app-only access) and User.Read; ask an admin \
            to consent if the sign-in did not offer it."
            .to_owned();
    }
    if path.starts_with("/directoryobjects") {
        return "Resolving ids needs Directory.Read.All; an admin must consent.".to_owned();
    }
    "The account or app lacks a permission for this call; an admin must grant and consent to it."
        .to_owned()
}

/// Which part of a query Graph refused, and whether advanced query mode would help.
fn query_advice(error: &GraphError) -> String {
    let message = &error.message;
    let lower = message.to_ascii_lowercase();
    let quoted = first_quoted(message);
    if error.status == Some(501) {
        return "One of the selected properties can only be read one object at a time, not in a list \
            (e.g. aboutMe, birthday, mailboxSettings); remove it from the columns."
            .to_owned();
    }
    let aq = if error.request.advanced {
        "It was already sent in advanced query mode (ConsistencyLevel: eventual), so that will not help: \
         change the query."
    } else {
        "Sending it in advanced query mode (ConsistencyLevel: eventual + $count=true) may fix it."
    };
    if lower.contains("invalid page size") {
        return "The page size ($top) must be between 1 and 999.".to_owned();
    }
    if lower.contains("operator") {
        let operator = quoted.unwrap_or("used");
        return format!("The filter operator '{operator}' is not supported here. {aq}");
    }
    if lower.contains("filter clause") || lower.contains("property") {
        let property = quoted.unwrap_or("named in the message");
        return format!(
            "Graph cannot filter on the property '{property}' this way. {}",
            if error.request.advanced {
                "It was already sent in advanced query mode: remove that clause and filter the CSV instead."
            } else {
                aq
            }
        );
    }
    if lower.contains("sorting") || lower.contains("orderby") {
        return format!("Graph cannot sort this query ($orderby). {aq}");
    }
    if lower.contains("$search") || lower.contains("$count") || lower.contains("consistencylevel") {
        return format!("$search and $count need advanced query mode. {aq}");
    }
    if lower.contains("expand") {
        return "$expand cannot be combined with advanced query features; drop one of them."
            .to_owned();
    }
    format!("Graph does not support this query: {message}. {aq}")
}

/// The first `'...'`-quoted word in a Graph message, e.g. the operator in
/// "Operator 'endsWith' is not supported ...".
fn first_quoted(message: &str) -> Option<&str> {
    let start = message.find('\'')? + 1;
    let len = message[start..].find('\'')?;
    Some(&message[start..start + len]).filter(|s| !s.is_empty())
}

/// A duration for people: `45 s`, `3 min 20 s`.
fn human(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::RequestContext;

    fn error(
        status: u16,
        code: &str,
        message: &str,
        method: &str,
        path: &str,
        advanced: bool,
    ) -> GraphError {
        let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
        let request = RequestContext {
            method: method.into(),
            path: path.into(),
            advanced,
        };
        GraphError::from_response(
            status,
            &reqwest::header::HeaderMap::new(),
            body.as_bytes(),
            request,
        )
    }

    #[test]
    fn forbidden_reads_and_writes_name_the_permission_and_roles() {
        let users = error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges",
            "GET",
            "/v1.0/users?$top=999",
            false,
        );
        assert!(
            users
                .advice()
                .contains("User.Read.All (or Directory.Read.All); an admin must consent")
        );
        assert!(users.advice().contains("Directory Readers"));
        let write = error(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges",
            "POST",
            "/v1.0/groups/g/members/$ref",
            false,
        );
        assert!(write.advice().contains("GroupMember.ReadWrite.All"));
        assert!(write.advice().contains("Groups Administrator"));
        assert!(write.advice().contains("owner"));
        let members = error(
            403,
            "Authorization_RequestDenied",
            "x",
            "GET",
            "/v1.0/groups/g/transitiveMembers",
            false,
        );
        assert!(members.advice().contains("GroupMember.Read.All"));
        let owned = error(
            403,
            "Authorization_RequestDenied",
            "x",
            "GET",
            "/v1.0/me/ownedObjects/microsoft.graph.group",
            false,
        );
        assert!(owned.advice().contains("User.Read"));
        let sign_in = error(
            403,
            "Authorization_RequestDenied",
            "x",
            "GET",
            "/v1.0/users?$select=id,signInActivity&$top=500",
            false,
        );
        assert!(sign_in.advice().contains("AuditLog.Read.All"));
        let skus = error(
            403,
            "Authorization_RequestDenied",
            "x",
            "GET",
            "/v1.0/subscribedSkus",
            false,
        );
        assert!(skus.advice().contains("LicenseAssignment.Read.All"));
    }

    #[test]
    fn unsupported_query_names_the_operator_and_whether_aq_helps() {
        let msg = "Operator 'endsWith' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header.";
        let plain = error(
            400,
            "Request_UnsupportedQuery",
            msg,
            "GET",
            "/v1.0/users",
            false,
        );
        assert_eq!(plain.kind(), ErrorKind::UnsupportedQuery);
        assert!(plain.advice().contains("'endsWith'"));
        assert!(plain.advice().contains("may fix it"));
        let aq = error(
            400,
            "Request_UnsupportedQuery",
            msg,
            "GET",
            "/v1.0/users",
            true,
        );
        assert!(aq.advice().contains("will not help"));
        let property = error(
            400,
            "Request_UnsupportedQuery",
            "Unsupported or invalid query filter clause specified for property 'createdDateTime' of resource 'Group'.",
            "GET",
            "/v1.0/groups",
            true,
        );
        assert!(
            property.advice().contains("'createdDateTime'"),
            "{}",
            property.advice()
        );
        assert!(property.advice().contains("remove that clause"));
        let sort = error(
            400,
            "Request_UnsupportedQuery",
            "Sorting not supported for current query.",
            "GET",
            "/v1.0/users",
            false,
        );
        assert!(sort.advice().contains("$orderby"));
        let top = error(
            400,
            "Request_UnsupportedQuery",
            "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
            "GET",
            "/v1.0/users",
            false,
        );
        assert!(top.advice().contains("between 1 and 999"));
    }

    #[test]
    fn auth_and_exhausted_retries_say_what_to_do() {
        let auth = error(
            401,
            "InvalidAuthenticationToken",
            "Access token has expired.",
            "GET",
            "/v1.0/users",
            false,
        );
        assert!(auth.advice().starts_with("Sign in again"));
        let throttled = error(
            429,
            "TooManyRequests",
            "Please retry again later.",
            "GET",
            "/v1.0/users",
            false,
        )
        .with_attempts(9, Duration::from_secs(200));
        assert!(
            throttled
                .advice()
                .contains("for 3 min 20 s over 9 attempts"),
            "{}",
            throttled.advice()
        );
    }
}
