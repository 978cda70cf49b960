package caravan.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import caravan.ops.LocalStack;

/** The devstack's servers are real: Kafka round-trips a record, Elasticsearch keeps a doc across a restart. */
class DevStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static DevStack stack;

  @BeforeAll
  static void startStack() {
    long start = System.nanoTime();
    stack = DevStack.shared();
    System.out.printf("DevStackIT: devstack up in %d ms (Kafka %s, Elasticsearch %s)%n",
        (System.nanoTime() - start) / 1_000_000, stack.kafkaBootstrap(), stack.elasticsearchUrl());
  }

  @Test
  void kafkaRoundTripsARecord() throws Exception {
    String topic = "devstack-it-" + UUID.randomUUID();
    Map<String, Object> producerConfig = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
      producer.send(new ProducerRecord<>(topic, "key-1", "hello devstack")).get(30, TimeUnit.SECONDS);
    }

    Map<String, Object> consumerConfig = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "devstack-it",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          assertThat(record.key()).isEqualTo("key-1");
          assertThat(record.value()).isEqualTo("hello devstack");
          return;
        }
      }
    }
    throw new AssertionError("the record did not come back from " + topic + " within 30 s");
  }

  @Test
  void rootAnswersLikeElasticsearchForTheJavaClient() throws Exception {
    HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(stack.elasticsearchUrl() + "/")).GET());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
    JsonNode info = JSON.readTree(get.body());
    assertThat(info.path("version").path("number").asText()).isEqualTo("9.2.2");
    assertThat(info.path("cluster_name").asText()).isNotBlank();
    assertThat(info.path("tagline").asText()).isEqualTo("You Know, for Search");

    HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(stack.elasticsearchUrl() + "/"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
  }

  @Test
  void documentSurvivesAnElasticsearchRestart() throws Exception {
    String index = "devstack-it-" + UUID.randomUUID();
    String url = stack.elasticsearchUrl();
    assertThat(send(json("PUT", url + "/" + index, "{\"settings\":{\"number_of_replicas\":0}}")).statusCode())
        .isEqualTo(200);
    assertThat(send(json("POST", url + "/" + index + "/_doc?refresh=true", "{\"message\":\"hello\"}")).statusCode())
        .isEqualTo(201);
    assertThat(count(url, index)).isEqualTo(1);

    stack.stopElasticsearch();
    assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create(url + "/")).GET())).isInstanceOf(IOException.class);
    long start = System.nanoTime();
    stack.startElasticsearch();
    System.out.printf("DevStackIT: Elasticsearch restarted in %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertThat(stack.elasticsearchUrl()).isEqualTo(url);
    // Yellow cluster health does not wait for this index's shard; wait for it before counting.
    assertThat(send(HttpRequest.newBuilder(URI.create(url + "/_cluster/health/" + index
        + "?wait_for_status=green&timeout=30s")).GET()).statusCode()).isEqualTo(200);
    assertThat(count(url, index)).isEqualTo(1);
  }

  @Test
  void theAppFindsTheDevstackThroughServiceLoader() {
    assertThat(ServiceLoader.load(LocalStack.Factory.class).findFirst()).get().isInstanceOf(DevStackFactory.class);
  }

  private static long count(String url, String index) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/" + index + "/_count")).GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("count").asLong();
  }

  private static HttpRequest.Builder json(String method, String url, String body) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
