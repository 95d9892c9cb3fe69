//! A tiny hand-written HTTP server for the client's defences against a hostile or broken server, in
//! ways the emulator cannot misbehave (its HTTP stack always sends whole header blocks): it reads each
//! request's head and hands the connection to a script.

use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A server on 127.0.0.1 running `script` on every connection; stops when dropped.
pub struct HostileServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    task: JoinHandle<()>,
}

impl HostileServer {
    /// Starts the server; `script` gets each connection after its request head was read.
    pub async fn start<F, Fut>(script: F) -> Self
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                if read_head(&mut stream).await {
                    tokio::spawn(script(stream));
                }
            }
        });
        Self { url, task }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_head(stream: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return false,
        }
    }
    true
}

/// Starts a `200` and then sends header lines one byte every 100 ms, never ending the head.
pub async fn drip_headers(mut stream: TcpStream) {
    if stream.write_all(b"HTTP/1.1 200 OK\r\n").await.is_err() {
        return;
    }
    for byte in b"X-Drip: x\r\n".iter().cycle() {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if stream.write_all(&[*byte]).await.is_err() {
            return;
        }
    }
}

/// Announces a body of a terabyte, sends its first byte and then holds the connection open.
pub async fn terabyte_content_length(mut stream: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{";
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
}
