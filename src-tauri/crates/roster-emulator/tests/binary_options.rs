//! The `roster-emulator` binary's options beyond the basics: the https listener's certificate written
//! as PEM (`https-cert:` line) and the device-code polling interval.

use std::io::BufRead as _;

use roster_emulator::TEST_CLIENT_ID;
use serde_json::Value;

/// Kills the child process and removes the certificate file when dropped, so a failing assertion
/// leaves nothing behind.
struct Running {
    child: std::process::Child,
    cert: Option<std::path::PathBuf>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(cert) = &self.cert {
            let _ = std::fs::remove_file(cert);
        }
    }
}

#[tokio::test]
async fn https_certificate_is_written_as_pem_and_the_device_code_interval_is_configurable() {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_roster-emulator"))
        .args([
            "--users",
            "20",
            "--groups",
            "16",
            "--https-listen",
            "127.0.0.1:0",
            "--device-code-interval",
            "1",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut running = Running { child, cert: None };
    let stdout = running.child.stdout.take().unwrap();
    let lines: Vec<String> = std::io::BufReader::new(stdout)
        .lines()
        .take(5)
        .map(Result::unwrap)
        .collect();
    let base = lines[0].strip_prefix("listening on ").unwrap().to_owned();
    let tenant = lines[1].strip_prefix("tenant: ").unwrap().to_owned();
    assert!(lines[2].starts_with("domain: "), "{lines:?}");
    let https = lines[3].strip_prefix("https: ").expect("https line");
    let cert_path = std::path::PathBuf::from(
        lines[4]
            .strip_prefix("https-cert: ")
            .expect("https-cert line"),
    );
    running.cert = Some(cert_path.clone());

    let pem = std::fs::read(&cert_path).unwrap();
    assert!(pem.starts_with(b"-----BEGIN CERTIFICATE-----"));
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap();
    let openid: Value = client
        .get(format!(
            "{https}/{tenant}/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        openid["token_endpoint"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    let device: Value = reqwest::Client::new()
        .post(format!("{base}/{tenant}/oauth2/v2.0/devicecode"))
        .form(&[("client_id", TEST_CLIENT_ID), ("scope", "User.Read")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(device["interval"], 1, "{device}");
}

#[tokio::test]
async fn the_device_code_interval_defaults_to_five_seconds_as_entra() {
    let emulator = roster_emulator::start(roster_emulator::EmulatorConfig {
        users: 20,
        groups: 16,
        ..roster_emulator::EmulatorConfig::default()
    })
    .await
    .unwrap();
    assert!(emulator.https_cert_pem().is_none());
    let device: Value = reqwest::Client::new()
        .post(format!(
            "{}/{}/oauth2/v2.0/devicecode",
            emulator.base_url(),
            emulator.tenant_id()
        ))
        .form(&[("client_id", TEST_CLIENT_ID), ("scope", "User.Read")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(device["interval"], 5, "{device}");
    emulator.shutdown().await;
}
