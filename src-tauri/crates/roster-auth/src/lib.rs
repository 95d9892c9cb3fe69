//! Entra ID sign-in and token cache for Roster
