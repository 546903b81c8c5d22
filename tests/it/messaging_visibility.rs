//! Issue 12: a message shows each reader only the people they may see. A property test over
//! random messages (people chosen one by one, lists of classes, a group's pupils, parents,
//! pupils, staff): for every recipient, no page or API answer about the message names a person
//! the directory does not let them see (`policy::may_see_person`) — the message's page, its JSON,
//! the inbox page and its JSON, the reply-all form. The sender of a message one received is
//! the one exception (one knows who wrote to one).

use std::collections::{BTreeMap, BTreeSet};

use cartable::clock::Clock;
use cartable::domain::directory::policy::may_see_person;
use cartable::domain::directory::queries::{PersonSummary, load_actor};
use cartable::domain::directory::service::{self, NewPerson};
use cartable::domain::messaging::compose::{self, Compose, ListRef, SendContext};
use cartable::domain::messaging::limits::{SendLimiter, SendLimits};
use cartable::domain::messaging::rules::may_communicate;
use cartable::model::directory::*;
use cartable::model::messaging::MessageId;
use cartable::store::tables::{MESSAGE_RECIPIENTS, MESSAGES, PEOPLE};
use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, TestCaseError, TestRunner};

use crate::common::app::TestApp;
use crate::common::school::PASSWORD;

/// Who writes in the random messages.
const SENDERS: &[&str] = &[
    "prof.a",
    "prof.b",
    "cpe.a",
    "admin.a",
    "parent.a1",
    "parent.a2",
    "eleve.a1",
    "eleve.b1",
];

/// Who may be chosen one by one.
const PEOPLE_POOL: &[&str] = &[
    "prof.a",
    "prof.b",
    "cpe.a",
    "admin.a",
    "eleve.a1",
    "eleve.a2",
    "eleve.b1",
    "eleve.g1",
    "parent.a1",
    "parent.a1bis",
    "parent.a2",
    "parent.b1",
];

/// Adds parents (two for Léa), a pupil of 5B and a group (Léa, Hugo, Gaëtan) taught by prof.b.
fn enlarge(app: &TestApp) -> BTreeMap<&'static str, PersonId> {
    let s = &app.school;
    let hash = cartable::domain::accounts::password::hash(PASSWORD).unwrap();
    let college = s.college;
    let mut logins: BTreeMap<&'static str, PersonId> =
        s.people.iter().map(|(k, v)| (*k, *v)).collect();
    let added = app
        .state
        .store
        .write(|tx| {
            let mut out = Vec::new();
            let mut person =
                |tx: &mut cartable::store::Tx,
                 login: &'static str,
                 first: &str,
                 last: &str,
                 role: Role|
                 -> Result<PersonId, cartable::domain::directory::DirectoryError> {
                    let id = service::create_person(
                        tx,
                        NewPerson {
                            first_name: first.into(),
                            last_name: last.into(),
                            ..NewPerson::default()
                        },
                    )?;
                    service::set_login(tx, id, login)?;
                    let mut p = tx.get(&PEOPLE, &id)?.unwrap();
                    p.state = AccountState::Active;
                    p.password_hash = Some(hash.clone());
                    tx.insert(&PEOPLE, &id, &p)?;
                    service::add_profile(tx, id, college, role)?;
                    out.push((login, id));
                    Ok(id)
                };
            let link = ParentLink {
                relation: Relation::Pere,
                parental_authority: true,
                receives_mail: true,
            };
            let bis = person(tx, "parent.a1bis", "Marc", "Coparent", Role::Parent)?;
            service::link_parent(tx, bis, s.id("eleve.a1"), link.clone())?;
            let pa2 = person(tx, "parent.a2", "Sophie", "Mèredezoé", Role::Parent)?;
            service::link_parent(tx, pa2, s.id("eleve.a2"), link.clone())?;
            let pb1 = person(tx, "parent.b1", "Karim", "Pèredehugo", Role::Parent)?;
            service::link_parent(tx, pb1, s.id("eleve.b1"), link)?;
            let g1 = person(tx, "eleve.g1", "Gaëtan", "Groupiste", Role::Eleve)?;
            service::enrol_in_class(tx, g1, s.class_5b)?;
            let group = service::create_group(
                tx,
                Group {
                    establishment: college,
                    year: SchoolYear(2026),
                    name: "Latin".into(),
                },
            )?;
            for pupil in [s.id("eleve.a1"), s.id("eleve.b1"), g1] {
                service::enrol_in_group(tx, pupil, group)?;
            }
            let latin = service::create_subject(
                tx,
                Subject {
                    establishment: college,
                    code: None,
                    name: "Latin".into(),
                },
            )?;
            service::create_teaching(
                tx,
                Teaching {
                    establishment: college,
                    teacher: s.id("prof.b"),
                    audience: Audience::Group(group),
                    subject: latin,
                },
            )?;
            Ok::<_, cartable::domain::directory::DirectoryError>(out)
        })
        .unwrap();
    logins.extend(added);
    logins
}

/// One random message: its sender, people chosen by index, lists by index.
#[derive(Debug, Clone)]
struct Spec {
    sender: usize,
    people: Vec<usize>,
    lists: Vec<usize>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..SENDERS.len(),
        proptest::collection::vec(0..PEOPLE_POOL.len(), 0..5),
        proptest::collection::vec(0usize..6, 0..3),
    )
        .prop_map(|(sender, people, lists)| Spec {
            sender,
            people,
            lists,
        })
}

/// Every person object (`{"id", "first_name", "last_name"}`) in a JSON answer.
fn people_in(value: &serde_json::Value, out: &mut BTreeSet<u64>) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("last_name")
                && let Some(id) = map.get("id").and_then(|v| v.as_u64())
            {
                out.insert(id);
            }
            for v in map.values() {
                people_in(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| people_in(v, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_page_or_answer_of_a_message_names_someone_the_reader_may_not_see() {
    let app = TestApp::start_with_config(|c| {
        c.messaging_limit_pupil = 1000;
        c.messaging_limit_parent = 1000;
        c.messaging_limit_staff = 1000;
    })
    .await;
    let logins = tokio::task::block_in_place(|| enlarge(&app));
    let mut clients = BTreeMap::new();
    for login in logins.keys() {
        if *login != "plateforme" && *login != "admin.b" {
            clients.insert(*login, app.as_user(login).await);
        }
    }
    let by_id: BTreeMap<PersonId, &'static str> = logins.iter().map(|(l, p)| (*p, *l)).collect();
    let s = app.school.clone();
    let lists = [
        ListRef::ParentsOf(s.class_5a),
        ListRef::PupilsOf(s.class_5a),
        ListRef::TeachersOf(s.class_5a),
        ListRef::ParentsOf(s.class_5b),
        ListRef::PupilsOf(s.class_5b),
        ListRef::TeachersOf(s.class_5b),
    ];
    let handle = tokio::runtime::Handle::current();
    let limiter = SendLimiter::default();
    let mut runner = TestRunner::new(PtConfig {
        cases: 12,
        failure_persistence: None,
        ..PtConfig::default()
    });
    let result = runner.run(&proptest::collection::vec(spec(), 1..4), |specs| {
        tokio::task::block_in_place(|| {
            for spec in specs {
                let store = &app.state.store;
                let sender_login = SENDERS[spec.sender];
                let sender = load_actor(&store.read().unwrap(), logins[sender_login])
                    .unwrap()
                    .unwrap();
                // What the sender may use: allowed people, lists they have.
                let read = store.read().unwrap();
                let mut recipients: Vec<PersonId> = spec
                    .people
                    .iter()
                    .map(|i| logins[PEOPLE_POOL[*i]])
                    .filter(|p| may_communicate(&read, &sender, *p).unwrap())
                    .collect();
                recipients.sort();
                recipients.dedup();
                drop(read);
                let usable: Vec<ListRef> = compose::lists(store, &sender)
                    .unwrap()
                    .into_iter()
                    .map(|o| o.list)
                    .collect();
                let chosen_lists: Vec<ListRef> = spec
                    .lists
                    .iter()
                    .map(|i| lists[*i])
                    .filter(|l| usable.contains(l))
                    .collect();
                if recipients.len() > 10 && !cartable::domain::messaging::policy::is_staff(&sender)
                {
                    recipients.truncate(10);
                }
                let sent = compose::send(
                    store,
                    &sender,
                    None,
                    Compose {
                        recipients,
                        lists: chosen_lists,
                        subject: "Sortie".into(),
                        body: "Bonjour à tous.".into(),
                        ..Compose::default()
                    },
                    &SendContext {
                        limiter: &limiter,
                        limits: SendLimits {
                            pupil: 1000,
                            parent: 1000,
                            staff: 1000,
                        },
                        now: app.clock.now(),
                    },
                );
                let id: MessageId = match sent {
                    Ok(id) => id,
                    Err(_) => continue,
                };
                let read = store.read().unwrap();
                let message = read.get(&MESSAGES, &id).unwrap().unwrap();
                for reader in &message.recipients {
                    let Some(login) = by_id.get(reader) else {
                        continue;
                    };
                    let Some(client) = clients.get(login) else {
                        continue;
                    };
                    let actor = load_actor(&read, *reader).unwrap().unwrap();
                    // Whom they may be shown: whom they may see, and whoever wrote to them.
                    let mut senders_to_me = BTreeSet::new();
                    for row in read.range(&MESSAGES, ..).unwrap() {
                        let (m, msg) = row.unwrap();
                        if read
                            .get(&MESSAGE_RECIPIENTS, &(m, *reader))
                            .unwrap()
                            .is_some()
                        {
                            senders_to_me.insert(msg.sender);
                        }
                    }
                    let forbidden: Vec<(PersonId, Vec<String>)> = logins
                        .values()
                        .filter(|p| {
                            !senders_to_me.contains(p)
                                && !may_see_person(&read, &actor, **p).unwrap()
                        })
                        .map(|p| {
                            let person = read.get(&PEOPLE, p).unwrap().unwrap();
                            let summary = PersonSummary::of(*p, &person);
                            (
                                *p,
                                vec![
                                    summary.display_name(),
                                    format!("{} {}", person.first_name, person.last_name),
                                ],
                            )
                        })
                        .collect();
                    let pages = [
                        format!("/messagerie/messages/{id}"),
                        "/messagerie".to_owned(),
                        format!("/messagerie/nouveau?repondre_tous={id}"),
                    ];
                    let apis = [
                        format!("/api/v1/messagerie/messages/{id}"),
                        "/api/v1/messagerie/dossiers/reception".to_owned(),
                    ];
                    let (htmls, jsons) = handle.block_on(async {
                        let mut htmls = Vec::new();
                        for page in &pages {
                            let (status, html) = app.get(client, page).await;
                            htmls.push((page.clone(), status, html));
                        }
                        let mut jsons = Vec::new();
                        for api in &apis {
                            let r = client.get(app.url(api)).send().await.unwrap();
                            let status = r.status().as_u16();
                            let body: serde_json::Value = r.json().await.unwrap();
                            jsons.push((api.clone(), status, body));
                        }
                        (htmls, jsons)
                    });
                    for (page, status, html) in &htmls {
                        prop_assert!(
                            *status == 200 || (page.contains("repondre_tous") && *status == 403),
                            "{login} {page}: {status}"
                        );
                        for (p, names) in &forbidden {
                            for name in names {
                                prop_assert!(
                                    !html.contains(name.as_str()),
                                    "{login} is shown {name} ({p}) on {page} \
                                     (message {id} from {sender_login})"
                                );
                            }
                        }
                    }
                    for (api, status, body) in &jsons {
                        prop_assert_eq!(*status, 200u16, "{} {}", login, api);
                        let mut named = BTreeSet::new();
                        people_in(body, &mut named);
                        for (p, _) in &forbidden {
                            prop_assert!(
                                !named.contains(&p.0),
                                "{login} is given person {p} by {api} (message {id} from \
                                 {sender_login}): {body}"
                            );
                        }
                    }
                }
            }
            Ok::<(), TestCaseError>(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
