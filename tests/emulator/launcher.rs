//! The moto emulator on a free 127.0.0.1 port, for the tests of both
//! packages: `tests/it/common` (the deployer's) and `handler/tests/common`
//! include this file with `#[path]`, so there is one launcher. It runs
//! `tests/emulator/moto_server.py` (moto with the build simulator and the
//! latency model) from the project's `.venv` (`./dev setup`), or the Python
//! in `$PHOTOSKY_TEST_PYTHON`, and stops it when dropped. Standard library
//! only: the two packages share no dependencies.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Emulator {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub url: String,
}

impl Emulator {
    /// `root` is the project root; `env` is given to the emulator (e.g. the
    /// build simulator's failure flag, or `PHOTOSKY_LATENCY_SCALE`).
    pub fn start(root: &Path, env: &[(&str, &str)]) -> Emulator {
        let python = std::env::var("PHOTOSKY_TEST_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root.join(".venv/bin/python"));
        assert!(
            python.exists(),
            "no moto environment at {}: run `./dev setup` (or set PHOTOSKY_TEST_PYTHON)",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(root.join("tests/emulator/moto_server.py"))
            .args(["--port", "0"])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the moto emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the emulator says its port");
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("emulator said {line:?}"))
            .to_owned();
        Emulator {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// The latency model's state: `{"scale": S, "refusals": {...}}`.
    pub fn latency(&self) -> String {
        let (status, body) = http("GET", &format!("{}/_photosky/latency", self.url), None, b"");
        assert_eq!(status, 200);
        String::from_utf8(body).expect("JSON")
    }

    /// Lose the responses to the next `count` calls of `action` (faults.py),
    /// or (`count` 0) just ask: `{"armed": {...}, "dropped": {...}}`.
    pub fn drop_responses(&self, action: &str, count: u32) -> String {
        let (method, url) = match count {
            0 => ("GET", format!("{}/_photosky/drop", self.url)),
            n => (
                "POST",
                format!("{}/_photosky/drop?action={action}&count={n}", self.url),
            ),
        };
        let (status, body) = http(method, &url, None, b"");
        assert_eq!(status, 200);
        String::from_utf8(body).expect("JSON")
    }

    /// How many times each `METHOD /path` was asked since the start
    /// (faults.py), as JSON: `{"PUT /thumbs/256/a.jpg.jpg": 1, ...}`.
    pub fn requests(&self) -> String {
        let (status, body) = http(
            "GET",
            &format!("{}/_photosky/requests", self.url),
            None,
            b"",
        );
        assert_eq!(status, 200);
        String::from_utf8(body).expect("JSON")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Plain HTTP/1.0 to 127.0.0.1: (status, body).
pub fn http(method: &str, url: &str, content_type: Option<&str>, body: &[u8]) -> (u16, Vec<u8>) {
    let headers: Vec<(&str, &str)> = content_type
        .map(|t| ("Content-Type", t))
        .into_iter()
        .collect();
    request(method, url, &headers, body)
}

/// `http` with any headers.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = TcpStream::connect(host).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let status = String::from_utf8_lossy(&out[..split])
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    (status, out[split + 4..].to_vec())
}
