//! Microsoft Entra dynamic membership rules for users, offline: parse, check, evaluate.
