//! The theme of a column: what part of a user or group it tells about. The column picker groups
//! columns by it, so an admin finds "Last sign-in" under sign-in rather than in a list of 120 names.

use serde::Serialize;

/// What a column tells about; each column has exactly one, set where the column is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ColumnTheme {
    /// Who the object is: names, sign-in name, object id, member or guest.
    Identity,
    /// Work: job title, department, company, employee data, office, manager.
    Job,
    /// How to reach them: mail and other addresses, phones, postal address.
    Contact,
    /// Data synced from Windows Server AD (`onPremises…`), and a group's source.
    OnPremises,
    /// Licences and service plans, and the usage location they need.
    Licenses,
    /// Whether and when they sign in: sign-in allowed, last sign-ins, password.
    SignIn,
    /// Authentication methods (costly: extra requests per user).
    Authentication,
    /// `extensionAttribute1`..`15` synced from Windows Server AD.
    ExtensionAttributes,
    /// Account settings that fit no other theme: created, age group, language, data location.
    Account,
    /// What a group is: its id, name, type, settings.
    Group,
    /// How a group's members are decided, counted or reached (rule, member type, nesting path).
    Membership,
}

impl ColumnTheme {
    /// Every theme, in the order a picker shows them.
    pub const ALL: [ColumnTheme; 11] = [
        Self::Identity,
        Self::Group,
        Self::Membership,
        Self::Job,
        Self::Contact,
        Self::SignIn,
        Self::Authentication,
        Self::Licenses,
        Self::OnPremises,
        Self::ExtensionAttributes,
        Self::Account,
    ];
}

#[cfg(test)]
mod tests {
    use super::ColumnTheme;
    use crate::columns::{
        Column, group_catalogue, group_default_columns, member_columns, portal_user_columns,
        user_catalogue,
    };

    fn theme_of(columns: &[Column], header: &str) -> ColumnTheme {
        columns
            .iter()
            .find(|c| c.header == header)
            .unwrap_or_else(|| panic!("no column {header}"))
            .theme
    }

    /// Every column a users download offers: the portal's and the catalogue's.
    fn user_columns() -> Vec<Column> {
        portal_user_columns()
            .into_iter()
            .chain(user_catalogue())
            .collect()
    }

    #[test]
    fn every_theme_is_listed_once() {
        let mut themes = ColumnTheme::ALL.to_vec();
        themes.sort();
        themes.dedup();
        assert_eq!(themes.len(), ColumnTheme::ALL.len());
    }

    #[test]
    fn user_columns_fall_under_the_theme_their_data_belongs_to() {
        let users = user_columns();
        for column in &users {
            let header = column.header.as_ref();
            let expected = if column.needs_auth_methods() {
                Some(ColumnTheme::Authentication)
            } else if header.starts_with("signInActivity/") {
                Some(ColumnTheme::SignIn)
            } else if header.starts_with("extensionAttribute")
                || header == "onPremisesExtensionAttributes"
            {
                Some(ColumnTheme::ExtensionAttributes)
            } else if header.starts_with("onPremises") {
                Some(ColumnTheme::OnPremises)
            } else if header.starts_with("manager/") || header.starts_with("employee") {
                Some(ColumnTheme::Job)
            } else {
                None
            };
            if let Some(expected) = expected {
                assert_eq!(column.theme, expected, "{header}");
            }
            assert!(
                !matches!(column.theme, ColumnTheme::Group | ColumnTheme::Membership),
                "{header} is a user column"
            );
        }
        assert_eq!(theme_of(&users, "userPrincipalName"), ColumnTheme::Identity);
        assert_eq!(theme_of(&users, "assignedLicenses"), ColumnTheme::Licenses);
        assert_eq!(theme_of(&users, "telephoneNumber"), ColumnTheme::Contact);
        let used: Vec<ColumnTheme> = users.iter().map(|c| c.theme).collect();
        for theme in ColumnTheme::ALL {
            let for_groups = matches!(theme, ColumnTheme::Group | ColumnTheme::Membership);
            assert_eq!(used.contains(&theme), !for_groups, "{theme:?}");
        }
    }

    #[test]
    fn a_property_has_the_same_theme_wherever_it_is_offered() {
        let users = user_columns();
        for column in &users {
            let same_source = users.iter().filter(|c| c.source == column.source);
            for other in same_source {
                assert_eq!(
                    other.theme, column.theme,
                    "{} / {}",
                    column.header, other.header
                );
            }
        }
        let groups: Vec<Column> = group_default_columns()
            .into_iter()
            .chain(group_catalogue())
            .collect();
        assert_eq!(theme_of(&groups, "membershipRule"), ColumnTheme::Membership);
        assert_eq!(theme_of(&groups, "memberCount"), ColumnTheme::Membership);
        assert_eq!(theme_of(&groups, "source"), ColumnTheme::OnPremises);
        assert_eq!(theme_of(&groups, "displayName"), ColumnTheme::Group);
        let members = member_columns(true);
        assert_eq!(theme_of(&members, "groupName"), ColumnTheme::Group);
        assert_eq!(theme_of(&members, "nestingPath"), ColumnTheme::Membership);
        assert_eq!(
            theme_of(&members, "userPrincipalName"),
            ColumnTheme::Identity
        );
    }
}
