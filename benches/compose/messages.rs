//! Personalised messages built per second, for a 10 KB HTML mail with one 100 KB attachment:
//! Shisa's way (texts prepared and the attachment encoded once per campaign, then merged and
//! assembled per recipient) against building each message from scratch with lettre.
//! `cargo bench --bench messages`

use std::hint::black_box;
use std::time::SystemTime;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use shisa::compose::Charset;
use shisa::compose::merge::{Known, MergeValues};
use shisa::compose::message::{self, Envelope, Part};
use shisa::compose::render::{Content, Prepared};

const RECIPIENTS: usize = 1_000;

/// About 10 KB of the kind of HTML the editor writes, with merge fields.
fn html() -> String {
    let paragraph = "<p>平素より格別のお引き立てを賜り、誠にありがとうございます。{{会社名}} {{氏名}}様には、\
        新しいサービスのご案内をお送りいたします。<strong>詳しくは</strong>下記をご覧ください。</p>";
    let mut html = String::from("<h2>{{氏名}}様へのご案内</h2>");
    while html.len() < 10 * 1024 {
        html.push_str(paragraph);
    }
    html.push_str("<p><a class=\"shisa-button\" href=\"https://example.jp/\">詳しく見る</a></p>");
    html
}

fn values(i: usize) -> MergeValues {
    [
        ("name".to_string(), format!("山田 太郎{i}")),
        ("company".to_string(), format!("株式会社サンプル{i}")),
        ("email".to_string(), format!("user{i}@example.jp")),
    ]
    .into_iter()
    .collect()
}

fn bench(c: &mut Criterion) {
    let attachment: Vec<u8> = (0..100 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let content = Content {
        subject: "{{氏名}}様 新サービスのご案内".into(),
        html: html(),
        text: None,
    };
    let from: Mailbox = "Shisa 事務局 <office@example.jp>".parse().unwrap();
    let recipients: Vec<(Mailbox, MergeValues)> = (0..RECIPIENTS)
        .map(|i| (format!("user{i}@example.jp").parse().unwrap(), values(i)))
        .collect();
    let mut group = c.benchmark_group("personalised messages");
    group.throughput(Throughput::Elements(RECIPIENTS as u64));
    group.sample_size(10);

    group.bench_function("shisa", |b| {
        let prepared = Prepared::new(&content, Known::default()).unwrap();
        let part = Part::new("ご案内.pdf", attachment.clone());
        b.iter(|| {
            for (to, values) in &recipients {
                let id = message::message_id(&from);
                let envelope = Envelope {
                    from: &from,
                    to,
                    reply_to: None,
                    unsubscribe: None,
                    message_id: &id,
                    date: SystemTime::now(),
                    charset: Charset::Utf8,
                    inline: &[],
                    attachments: &[&part],
                };
                let mail = message::build(&envelope, &prepared.personal(values)).unwrap();
                black_box(mail.formatted());
            }
        })
    });

    group.bench_function("lettre from scratch", |b| {
        b.iter(|| {
            for (to, values) in &recipients {
                let name = values.get("name").map_or("", String::as_str);
                let html = content.html.replace("{{氏名}}", name).replace(
                    "{{会社名}}",
                    values.get("company").map_or("", String::as_str),
                );
                let mail = Message::builder()
                    .from(from.clone())
                    .to(to.clone())
                    .subject(content.subject.replace("{{氏名}}", name))
                    .multipart(
                        MultiPart::mixed()
                            .singlepart(SinglePart::html(html))
                            .singlepart(Attachment::new("ご案内.pdf".into()).body(
                                attachment.clone(),
                                ContentType::parse("application/pdf").unwrap(),
                            )),
                    )
                    .unwrap();
                black_box(mail.formatted());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
