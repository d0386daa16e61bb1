use super::*;

fn limits() -> Limits {
    Limits::default()
}

fn msg(headers: &str, body: &str) -> Vec<u8> {
    format!("{headers}\r\n\r\n{body}")
        .replace("\r\n", "\n")
        .replace('\n', "\r\n")
        .into_bytes()
}

const BASIC: &str = "From: Li Wei <li.wei@example.cn>\n\
To: support@shop.test\n\
Subject: =?UTF-8?B?6K6i5Y2V5rKh5pyJ5Yiw?=\n\
Message-ID: <abc123@mail.example.cn>\n\
Date: Fri, 27 Nov 2026 10:00:00 +0800\n\
Content-Type: text/plain; charset=utf-8";

#[test]
fn reads_sender_subject_id_and_body() {
    let m = parse(&msg(BASIC, "My order has not arrived."), &limits()).expect("parses");
    assert_eq!(m.from_email, "li.wei@example.cn");
    assert_eq!(m.from_name.as_deref(), Some("Li Wei"));
    assert_eq!(m.subject, "订单没有到");
    assert_eq!(m.message_id, "<abc123@mail.example.cn>");
    assert_eq!(m.text_body.trim(), "My order has not arrived.");
    assert_eq!(m.in_reply_to, None);
    assert!(m.references.is_empty());
    assert_eq!(m.automatic, None);
    assert_eq!(m.recipients, vec!["support@shop.test".to_string()]);
}

#[test]
fn reads_threading_headers() {
    let headers = format!(
        "{BASIC}\nIn-Reply-To: <r1@rapport.test>\nReferences: <r0@rapport.test>\n <r1@rapport.test>"
    );
    let m = parse(&msg(&headers, "thanks"), &limits()).expect("parses");
    assert_eq!(m.in_reply_to.as_deref(), Some("<r1@rapport.test>"));
    assert_eq!(m.references, vec!["<r0@rapport.test>", "<r1@rapport.test>"]);
}

#[test]
fn a_message_without_id_gets_one_from_its_bytes() {
    let raw = msg("From: a@b.test\nSubject: hi", "x");
    let one = parse(&raw, &limits()).expect("parses");
    let two = parse(&raw, &limits()).expect("parses");
    assert_eq!(one.message_id, two.message_id);
    assert!(one.message_id.ends_with("@rapport.invalid>"));
    let other = parse(&msg("From: a@b.test\nSubject: hi", "y"), &limits()).expect("parses");
    assert_ne!(one.message_id, other.message_id);
}

#[test]
fn machine_mail_is_recognised() {
    let cases = [
        (
            "Auto-Submitted: auto-replied",
            Some(Automatic::AutoSubmitted),
        ),
        (
            "Auto-Submitted: auto-generated; owner-email=x@y",
            Some(Automatic::AutoSubmitted),
        ),
        ("Auto-Submitted: no", None),
        ("Precedence: bulk", Some(Automatic::AutoReply)),
        ("Precedence: junk", Some(Automatic::AutoReply)),
        ("Precedence: list", Some(Automatic::AutoReply)),
        ("X-Autoreply: yes", Some(Automatic::AutoReply)),
        ("X-Autorespond: vacation", Some(Automatic::AutoReply)),
        ("Return-Path: <>", Some(Automatic::Bounce)),
        ("Return-Path: <li.wei@example.cn>", None),
        ("X-Mailer: Thunderbird", None),
    ];
    for (header, expected) in cases {
        let m = parse(&msg(&format!("{BASIC}\n{header}"), "x"), &limits()).expect("parses");
        assert_eq!(m.automatic, expected, "{header}");
    }
    let daemon = "From: MAILER-DAEMON@mx.example.cn\nSubject: Undelivered Mail";
    let m = parse(&msg(daemon, "x"), &limits()).expect("parses");
    assert_eq!(m.automatic, Some(Automatic::Bounce));
    let report = "From: mx@example.cn\nSubject: failure\nMIME-Version: 1.0\n\
        Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"";
    let body = "--b\nContent-Type: text/plain\n\nfailed\n--b--\n";
    let m = parse(&msg(report, body), &limits()).expect("parses");
    assert_eq!(m.automatic, Some(Automatic::Bounce));
}

fn with_attachments(parts: &[(&str, usize)]) -> Vec<u8> {
    let mut body = String::from("--b\nContent-Type: text/plain\n\nsee attached\n");
    for (name, size) in parts {
        use base64::Engine;
        let data = base64::engine::general_purpose::STANDARD.encode(vec![b'x'; *size]);
        body.push_str(&format!(
            "--b\nContent-Type: application/pdf; name=\"{name}\"\n\
             Content-Disposition: attachment; filename=\"{name}\"\n\
             Content-Transfer-Encoding: base64\n\n{data}\n"
        ));
    }
    body.push_str("--b--\n");
    let headers = "From: a@b.test\nSubject: files\nMIME-Version: 1.0\n\
        Content-Type: multipart/mixed; boundary=\"b\"";
    msg(headers, &body)
}

#[test]
fn attachments_are_kept_within_the_limits() {
    let small = Limits {
        attachment_bytes: 1000,
        attachments: 2,
        ..Limits::default()
    };
    let raw = with_attachments(&[
        ("invoice.pdf", 500),
        ("../../etc/passwd", 10),
        ("huge.pdf", 5000),
        ("third.pdf", 10),
    ]);
    let m = parse(&raw, &small).expect("parses");
    let names: Vec<&str> = m.attachments.iter().map(|a| a.filename.as_str()).collect();
    assert_eq!(names, ["invoice.pdf", "passwd"]);
    assert_eq!(m.attachments[0].bytes.len(), 500);
    assert_eq!(m.attachments[0].content_type, "application/pdf");
    assert_eq!(
        m.dropped_attachments,
        vec![
            ("huge.pdf".to_string(), 5000),
            ("third.pdf".to_string(), 10)
        ]
    );
    assert_eq!(m.text_body.trim(), "see attached");
}

#[test]
fn unusable_input_is_refused() {
    assert_eq!(parse(b"", &limits()).err(), Some(ParseError::NotAMessage));
    assert_eq!(
        parse(&msg("Subject: no sender", "x"), &limits()).err(),
        Some(ParseError::NoSender)
    );
    assert_eq!(
        parse(&msg("From: not an address\nSubject: x", "x"), &limits()).err(),
        Some(ParseError::NoSender)
    );
    let tiny = Limits {
        message_bytes: 10,
        ..Limits::default()
    };
    assert_eq!(
        parse(&msg(BASIC, "x"), &tiny).err(),
        Some(ParseError::TooLarge(10))
    );
}

#[test]
fn plus_tags_carry_reply_tokens() {
    let headers =
        "From: a@b.test\nTo: Support <support+tok123@shop.test>\nCc: other@shop.test\nSubject: x";
    let m = parse(&msg(headers, "x"), &limits()).expect("parses");
    assert_eq!(m.plus_tags().collect::<Vec<_>>(), ["tok123"]);
}

#[test]
fn filenames_are_made_safe() {
    assert_eq!(
        parse::safe_filename("C:\\Users\\x\\report.pdf"),
        "report.pdf"
    );
    assert_eq!(parse::safe_filename(".."), "attachment");
    assert_eq!(parse::safe_filename("a\"b;c\r\n.txt"), "abc.txt");
    assert_eq!(parse::safe_filename(""), "attachment");
}
