//! Topics: the topic of a channel (its address, or the binding's `topic`), what a subscription
//! listens to, and topics created or checked against the channel binding through the admin
//! API.

use std::sync::Arc;
use std::time::Duration;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::bindings::{KafkaChannel, KafkaTopicConfiguration};
use asyncapi_runtime::transport::{BoxError, ChannelSpec, Subscription, TransportError};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::DefaultClientContext;

use crate::TopicDefaults;

/// Kafka topics as addresses: a parameter a subscription does not fix is matched by a regular
/// expression subscription (`^orders\..*\.created$`), written here as a glob `*` that matches
/// any run of characters; a parameter's value may not hold `*`.
pub const WILDCARDS: Wildcards = Wildcards::new('.', "*", "*").forbidding(&['*']).glob(true);

/// Why `name` is not a Kafka topic name, if it is not one: 1 to 249 of `a-z A-Z 0-9 . _ -`,
/// and not `.` or `..`.
pub fn invalid_topic(name: &str) -> Option<String> {
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.is_empty() || name.len() > 249 {
        return Some(format!(
            "`{name}` is not a Kafka topic name: it must have 1 to 249 characters"
        ));
    }
    if name == "." || name == ".." {
        return Some(format!("`{name}` is not a Kafka topic name"));
    }
    name.chars().find(|c| !valid(*c)).map(|c| {
        format!(
            "`{name}` is not a Kafka topic name: `{c}` is not one of a-z A-Z 0-9 . _ - (a channel whose address is not a topic name gives its topic in `bindings.kafka.topic`)"
        )
    })
}

/// The topic a record for `address` on `channel` goes to.
pub(crate) fn topic_for<'a>(binding: Option<&'a KafkaChannel>, address: &'a str) -> &'a str {
    binding
        .and_then(|b| b.topic.as_deref())
        .filter(|t| !t.is_empty())
        .unwrap_or(address)
}

/// What a subscription reads: one topic, or the topics a pattern matches.
#[derive(Clone, Debug)]
pub(crate) enum Topics {
    /// One topic; received records carry `address`.
    One { topic: String, address: String },
    /// The topics of a regular expression (librdkafka's `^...` subscription), each received
    /// record carrying its topic as its address and passed through `subscription`.
    Pattern {
        regex: String,
        subscription: Subscription,
    },
}

impl Topics {
    /// What `channel` reads.
    pub(crate) fn of(channel: &ChannelSpec) -> Result<Topics, TransportError> {
        let open_err = |source: BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        let subscription = channel
            .subscription_pattern(&WILDCARDS)
            .map_err(|e| open_err(Box::new(e)))?;
        let pattern = subscription.pattern().to_owned();
        let bound = channel
            .bindings
            .kafka
            .as_ref()
            .and_then(|b| b.topic.as_deref())
            .filter(|t| !t.is_empty());
        if let Some(topic) = bound {
            if pattern.contains('*') {
                return Err(open_err(format!(
                    "the channel's binding names one topic, `{topic}`: a subscription to it fixes every parameter of `{}`",
                    channel.address
                ).into()));
            }
            if let Some(why) = invalid_topic(topic) {
                return Err(open_err(why.into()));
            }
            return Ok(Topics::One {
                topic: topic.to_owned(),
                address: pattern,
            });
        }
        if !pattern.contains('*') {
            if let Some(why) = invalid_topic(&pattern) {
                return Err(open_err(why.into()));
            }
            return Ok(Topics::One {
                topic: pattern.clone(),
                address: pattern,
            });
        }
        // Only the parts around the parameters must be topic characters.
        if let Some(why) = invalid_topic(&pattern.replace('*', "x")) {
            return Err(open_err(why.into()));
        }
        Ok(Topics::Pattern {
            regex: glob_regex(&pattern),
            subscription,
        })
    }

    /// The name of the subscription for logs and errors.
    pub(crate) fn name(&self) -> &str {
        match self {
            Topics::One { topic, .. } => topic,
            Topics::Pattern { regex, .. } => regex,
        }
    }
}

/// A glob over topic characters (`*` any run of them) as librdkafka's regular expression
/// subscription.
fn glob_regex(pattern: &str) -> String {
    let mut regex = String::from("^");
    for c in pattern.chars() {
        match c {
            '*' => regex.push_str("[a-zA-Z0-9._-]*"),
            '.' => regex.push_str("\\."),
            c => regex.push(c),
        }
    }
    regex.push('$');
    regex
}

/// The topic settings a channel binding asks for, as Kafka's configuration names.
pub(crate) fn configuration(binding: &KafkaTopicConfiguration) -> Vec<(&'static str, String)> {
    let mut config = Vec::new();
    if !binding.cleanup_policy.is_empty() {
        let policy: Vec<&str> = binding.cleanup_policy.iter().map(|p| p.as_ref()).collect();
        config.push(("cleanup.policy", policy.join(",")));
    }
    let numbers = [
        ("retention.ms", binding.retention_ms),
        ("retention.bytes", binding.retention_bytes),
        ("delete.retention.ms", binding.delete_retention_ms),
        ("max.message.bytes", binding.max_message_bytes),
    ];
    for (name, value) in numbers {
        if let Some(v) = value {
            config.push((name, v.to_string()));
        }
    }
    let flags = [
        (
            "confluent.key.schema.validation",
            binding.confluent_key_schema_validation,
        ),
        (
            "confluent.value.schema.validation",
            binding.confluent_value_schema_validation,
        ),
    ];
    for (name, value) in flags {
        if let Some(v) = value {
            config.push((name, v.to_string()));
        }
    }
    let strategies = [
        (
            "confluent.key.subject.name.strategy",
            &binding.confluent_key_subject_name_strategy,
        ),
        (
            "confluent.value.subject.name.strategy",
            &binding.confluent_value_subject_name_strategy,
        ),
    ];
    for (name, value) in strategies {
        if let Some(v) = value {
            config.push((name, v.to_string()));
        }
    }
    config
}

/// What the binding asks of a topic: partitions, replicas and configuration, each when given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub(crate) partitions: Option<u32>,
    pub(crate) replicas: Option<u32>,
    pub(crate) config: Vec<(&'static str, String)>,
}

impl Wanted {
    pub(crate) fn of(binding: Option<&KafkaChannel>) -> Wanted {
        let Some(b) = binding else {
            return Wanted::default();
        };
        Wanted {
            partitions: b.partitions,
            replicas: b.replicas,
            config: b
                .topic_configuration
                .as_ref()
                .map(configuration)
                .unwrap_or_default(),
        }
    }

    fn is_empty(&self) -> bool {
        self.partitions.is_none() && self.replicas.is_none() && self.config.is_empty()
    }
}

/// What a topic is: its partitions and replicas, from the cluster's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) partitions: u32,
    pub(crate) replicas: u32,
}

/// Makes sure `topic` is as the channel binding says: created with it when `create` is given
/// and the topic does not exist, otherwise checked against it when it exists. A difference is
/// an error naming the topic and the setting.
pub(crate) async fn ensure(
    admin: &Arc<AdminClient<DefaultClientContext>>,
    topic: &str,
    wanted: &Wanted,
    create: Option<TopicDefaults>,
    timeout: Duration,
) -> Result<(), BoxError> {
    if create.is_none() && wanted.is_empty() {
        return Ok(());
    }
    let found = describe(admin, topic, timeout).await?;
    match (found, create) {
        (None, Some(defaults)) => {
            let partitions = wanted.partitions.unwrap_or(defaults.partitions);
            let replicas = wanted.replicas.unwrap_or(defaults.replicas);
            let mut new = NewTopic::new(
                topic,
                i32::try_from(partitions).unwrap_or(i32::MAX),
                TopicReplication::Fixed(i32::try_from(replicas).unwrap_or(i32::MAX)),
            );
            for (name, value) in &wanted.config {
                new = new.set(name, value);
            }
            let options = AdminOptions::new().operation_timeout(Some(timeout));
            let results = admin.create_topics([&new], &options).await?;
            for result in results {
                match result {
                    Ok(_) => {}
                    // Another client created it meanwhile: check it as one that existed.
                    Err((_, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists)) => {
                        if let Some(found) = describe(admin, topic, timeout).await? {
                            compare(admin, topic, wanted, found, timeout).await?;
                        }
                    }
                    Err((_, code)) => {
                        return Err(format!("creating topic `{topic}` failed: {code}").into());
                    }
                }
            }
            tracing::debug!(target: "asyncapi", topic, partitions, replicas, "Kafka topic created");
            Ok(())
        }
        (None, None) => Ok(()),
        (Some(found), _) => compare(admin, topic, wanted, found, timeout).await,
    }
}

/// The topic's partitions and replicas, or `None` when the cluster does not have it.
async fn describe(
    admin: &Arc<AdminClient<DefaultClientContext>>,
    topic: &str,
    timeout: Duration,
) -> Result<Option<Found>, BoxError> {
    // The metadata call blocks: on a thread that may.
    let (client, name) = (Arc::clone(admin), topic.to_owned());
    let metadata =
        tokio::task::spawn_blocking(move || client.inner().fetch_metadata(Some(&name), timeout))
            .await??;
    let Some(t) = metadata.topics().iter().find(|t| t.name() == topic) else {
        return Ok(None);
    };
    if let Some(error) = t.error() {
        let code = rdkafka::types::RDKafkaErrorCode::from(error);
        if code == rdkafka::types::RDKafkaErrorCode::UnknownTopicOrPartition {
            return Ok(None);
        }
        return Err(format!("reading topic `{topic}`'s metadata failed: {code}").into());
    }
    let replicas = t
        .partitions()
        .iter()
        .map(|p| p.replicas().len())
        .max()
        .unwrap_or(0);
    Ok(Some(Found {
        partitions: t.partitions().len() as u32,
        replicas: replicas as u32,
    }))
}

/// The differences between an existing topic and the binding, as one error.
async fn compare(
    admin: &Arc<AdminClient<DefaultClientContext>>,
    topic: &str,
    wanted: &Wanted,
    found: Found,
    timeout: Duration,
) -> Result<(), BoxError> {
    let mut differences = Vec::new();
    if let Some(p) = wanted.partitions
        && p != found.partitions
    {
        differences.push(format!(
            "`partitions` is {p} in the document, {} on the cluster",
            found.partitions
        ));
    }
    if let Some(r) = wanted.replicas
        && r != found.replicas
    {
        differences.push(format!(
            "`replicas` is {r} in the document, {} on the cluster",
            found.replicas
        ));
    }
    if !wanted.config.is_empty() {
        let options = AdminOptions::new().request_timeout(Some(timeout));
        let resources = [ResourceSpecifier::Topic(topic)];
        let described = admin.describe_configs(&resources, &options).await?;
        let resource = described
            .into_iter()
            .next()
            .ok_or("the cluster described no configuration")?
            .map_err(|code| format!("describing topic `{topic}`'s configuration failed: {code}"))?;
        for (name, value) in &wanted.config {
            let actual = resource.get(name).and_then(|e| e.value.clone());
            if actual.as_deref() != Some(value.as_str()) {
                differences.push(format!(
                    "`{name}` is `{value}` in the document, {} on the cluster",
                    actual.map_or_else(|| "not set".to_owned(), |a| format!("`{a}`"))
                ));
            }
        }
    }
    if differences.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "topic `{topic}` is not as the channel binding says: {}",
            differences.join("; ")
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_names_are_checked() {
        assert!(invalid_topic("orders.created-v1_x").is_none());
        assert!(invalid_topic("smartylighting/streetlights").is_some());
        assert!(invalid_topic("..").is_some());
        assert!(invalid_topic("").is_some());
        assert!(invalid_topic(&"a".repeat(250)).is_some());
    }

    #[test]
    fn free_parameters_are_a_regular_expression() {
        let channel = ChannelSpec::new("lights", "lights.{id}.on");
        match Topics::of(&channel).unwrap() {
            Topics::Pattern {
                regex,
                subscription,
            } => {
                assert_eq!(regex, "^lights\\.[a-zA-Z0-9._-]*\\.on$");
                assert!(subscription.admits("lights.7.on"));
            }
            other => panic!("{other:?}"),
        }
        match Topics::of(&channel.clone().with_param("id", "7")).unwrap() {
            Topics::One { topic, address } => {
                assert_eq!(
                    (topic.as_str(), address.as_str()),
                    ("lights.7.on", "lights.7.on")
                )
            }
            other => panic!("{other:?}"),
        }
        let slashed = ChannelSpec::new("lights", "lights/{id}");
        assert!(Topics::of(&slashed.with_param("id", "7")).is_err());
    }

    #[test]
    fn a_topic_binding_names_the_topic() {
        let mut channel = ChannelSpec::new("lights", "lights/{id}/on");
        let mut binding = KafkaChannel::default();
        binding.topic = Some("light-switches".into());
        channel.bindings.kafka = Some(binding);
        assert!(
            Topics::of(&channel).is_err(),
            "a free parameter cannot be read back"
        );
        match Topics::of(&channel.with_param("id", "7")).unwrap() {
            Topics::One { topic, address } => {
                assert_eq!(topic, "light-switches");
                assert_eq!(address, "lights/7/on");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn topic_configuration_uses_kafka_names() {
        let mut c = KafkaTopicConfiguration::default();
        c.cleanup_policy = vec!["delete".into(), "compact".into()];
        c.retention_ms = Some(604_800_000);
        c.max_message_bytes = Some(1_048_588);
        assert_eq!(
            configuration(&c),
            vec![
                ("cleanup.policy", "delete,compact".to_owned()),
                ("retention.ms", "604800000".to_owned()),
                ("max.message.bytes", "1048588".to_owned()),
            ]
        );
    }
}
