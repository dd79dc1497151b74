<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\Api\Data;
use Clarifai\Api\Image;
use Clarifai\Api\Input;
use Clarifai\Api\ListAnnotationsRequest;
use Clarifai\Api\MultiAnnotationResponse;
use Clarifai\Api\MultiOutputResponse;
use Clarifai\Api\PostModelOutputsRequest;
use Clarifai\Api\Status\StatusCode;
use Clarifai\Api\UserAppIDSet;
use Clarifai\Api\V2Client;
use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Exception\UnknownEndpointException;
use Clarifai\API\Grpc\CallStatus;
use Clarifai\ClarifaiClient;

/** The docs' gRPC form: ClarifaiClient::grpc(), calls by RPC name with metadata, wait(). */
final class GrpcClientTest extends TestCase
{
    private static ?Emulator $server = null;

    /** An emulator of this test's own: it relies on ListAnnotations taking 50 ms. */
    public static function setUpBeforeClass(): void
    {
        self::$server = Emulator::spawn(Emulator::binary(), ['--fault', 'ListAnnotations=delay:50'], getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null');
    }

    public static function tearDownAfterClass(): void
    {
        self::$server?->stop();
        self::$server = null;
    }

    private static function server(): Emulator
    {
        return self::$server ?? throw new \LogicException('no emulator');
    }

    protected static function assertNoSecret(string $text, string ...$more): void
    {
        parent::assertNoSecret($text, ...self::server()->secrets(), ...$more);
    }

    private static function client(array $options = []): V2Client
    {
        return ClarifaiClient::grpc($options + ['baseUrl' => self::server()->url(), 'maxRetries' => 0]);
    }

    /** @return array<string, list<string>> */
    private static function metadata(string $token): array
    {
        return ['Authorization' => ['Key ' . $token]];
    }

    private static function predict(string $userId = 'clarifai', string $appId = 'main', string $model = 'general-image-recognition'): PostModelOutputsRequest
    {
        return new PostModelOutputsRequest([
            'user_app_id' => new UserAppIDSet(['user_id' => $userId, 'app_id' => $appId]),
            'model_id' => $model,
            'inputs' => [new Input(['data' => new Data(['image' => new Image(['url' => 'https://samples.clarifai.com/metro-north.jpg'])])])],
        ]);
    }

    public function testPatOnClarifaiMain(): void
    {
        self::server()->clearRequests();
        [$response, $status] = self::client()->PostModelOutputs(self::predict(), self::metadata(self::server()->pat()))->wait();
        $this->assertInstanceOf(CallStatus::class, $status);
        $this->assertSame(0, $status->code);
        $this->assertSame('', $status->details);
        $this->assertSame([], $status->metadata);
        $this->assertInstanceOf(MultiOutputResponse::class, $response);
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
        $concepts = $response->getOutputs()[0]->getData()->getConcepts();
        $this->assertNotEmpty($concepts);
        $this->assertIsFloat($concepts[0]->getValue());
        $this->assertNotSame('', $concepts[0]->getName());
        $seen = self::server()->requests();
        $this->assertSame('/v2/users/clarifai/apps/main/models/general-image-recognition/outputs', $seen[0]['path']);
        $this->assertSame('pat', $seen[0]['credential']);
    }

    public function testAppKeyOnTheBarePath(): void
    {
        $request = self::predict();
        $request->clearUserAppId();
        [$response, $status] = self::client()->PostModelOutputs($request, self::metadata(self::server()->apiKey()))->wait();
        $this->assertSame(0, $status->code);
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
    }

    public function testPlainArraysAreRequestsToo(): void
    {
        [$response, $status] = self::client()->PostModelOutputs([
            'model_id' => 'general-image-recognition',
            'inputs' => [['data' => ['image' => ['url' => 'https://samples.clarifai.com/metro-north.jpg']]]],
        ], self::metadata(self::server()->apiKey()))->wait();
        $this->assertSame(0, $status->code);
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
    }

    public function testTheHeaderNameIsTakenInAnyCase(): void
    {
        foreach (['authorization', 'AUTHORIZATION', 'Authorization'] as $name) {
            [$response] = self::client()->ListInputs(new \Clarifai\Api\ListInputsRequest(), [$name => ['Key ' . self::server()->apiKey()]])->wait();
            $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode(), $name);
        }
        [$response] = self::client()->ListInputs([], ['authorization' => 'Key ' . self::server()->apiKey()])->wait();
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode(), 'a string value');
    }

    public function testApiFailuresAreResponsesWithStatusCodeZero(): void
    {
        $client = self::client();
        $cases = [
            'unknown key' => [$client->PostModelOutputs(self::predict(), self::metadata(self::CANARY_KEY)), StatusCode::CONN_KEY_NOT_FOUND],
            'unknown model' => [$client->PostModelOutputs(self::predict(model: 'no-such-model'), self::metadata(self::server()->pat())), StatusCode::MODEL_DOES_NOT_EXIST],
            'app key for another app' => [$client->PostModelOutputs(self::predict(), self::metadata(self::server()->apiKey())), StatusCode::CONN_KEY_INVALID],
        ];
        foreach ($cases as $case => [$call, $code]) {
            [$response, $status] = $call->wait();
            $this->assertSame(0, $status->code, $case);
            $this->assertInstanceOf(MultiOutputResponse::class, $response, $case);
            $this->assertSame($code, $response->getStatus()->getCode(), $case);
            $this->assertNotSame('', $response->getStatus()->getDescription(), $case);
            $this->assertStringStartsWith('emu-', $response->getStatus()->getReqId(), $case);
            $this->assertSame([], $response->getOutputs(), $case);
            $this->assertNoSecret($response->serializeToJsonString() . $status->details);
        }
    }

    public function testACallWithoutACredentialIsSentWithoutOneAndTheApiAnswers(): void
    {
        self::server()->clearRequests();
        foreach (['no metadata' => [], 'other metadata only' => ['x-custom' => ['1']]] as $case => $metadata) {
            [$response, $status] = self::client()->PostModelOutputs(self::predict(), $metadata)->wait();
            $this->assertSame(0, $status->code, $case);
            $this->assertSame(StatusCode::CONN_INVALID_REQUEST, $response->getStatus()->getCode(), $case);
            $this->assertSame('Invalid request', $response->getStatus()->getDescription(), $case);
            $this->assertStringContainsString('no Authorization header', $response->getStatus()->getDetails(), $case);
            $this->assertStringStartsWith('emu-', $response->getStatus()->getReqId(), 'the server answered');
        }
        $seen = self::server()->requests();
        $this->assertCount(2, $seen);
        $this->assertSame([null, null], array_column($seen, 'credential'));
    }

    public function testAMalformedCredentialIsAnsweredAsTheApiAnswersIt(): void
    {
        self::server()->clearRequests();
        $cases = [
            'lower-case scheme' => [['Authorization' => ['key ' . self::CANARY_KEY]], "spelled 'Key'"],
            'two values' => [['Authorization' => ['Key a', 'Key b']], 'more than one'],
            'whitespace in the token' => [['Authorization' => ['Key ' . self::CANARY_KEY . "\n"]], 'malformed'],
            'NUL in the token' => [['Authorization' => ['Key ' . self::CANARY_KEY . "\0"]], 'malformed'],
        ];
        foreach ($cases as $case => [$metadata, $details]) {
            [$response, $status] = self::client()->PostModelOutputs(self::predict(), $metadata)->wait();
            $this->assertSame(0, $status->code, $case);
            $this->assertSame(StatusCode::CONN_INVALID_REQUEST, $response->getStatus()->getCode(), $case);
            $this->assertSame('Invalid request', $response->getStatus()->getDescription(), $case);
            $this->assertStringContainsString($details, $response->getStatus()->getDetails(), $case);
            $this->assertNoSecret($response->serializeToJsonString());
        }
        // The library sends no such header: these are answered without a request.
        $this->assertSame([], self::server()->requests());
    }

    public function testADeadServerIsAStatusNotAnException(): void
    {
        $client = ClarifaiClient::grpc('http://127.0.0.1:1', ['maxRetries' => 0]);
        [$response, $status] = $client->PostModelOutputs(self::predict(), self::metadata(self::CANARY_KEY))->wait();
        $this->assertNull($response);
        $this->assertSame(CallStatus::UNAVAILABLE, $status->code);
        $this->assertStringContainsString('connection failed', $status->details);
        $this->assertNoSecret($status->details);
    }

    public function testATimeoutIsDeadlineExceeded(): void
    {
        // This test's emulator delays ListAnnotations by 50 ms.
        [$response, $status] = self::client(['timeoutMs' => 5])->ListAnnotations(new ListAnnotationsRequest(), self::metadata(self::server()->apiKey()))->wait();
        $this->assertNull($response);
        $this->assertSame(CallStatus::DEADLINE_EXCEEDED, $status->code);
    }

    public function testTheHostIsReachedOverHttps(): void
    {
        // A plain-HTTP server named as a grpc host: the TLS handshake fails.
        $host = substr(self::server()->url(), \strlen('http://'));
        [$response, $status] = ClarifaiClient::grpc($host, ['maxRetries' => 0])->ListInputs([], self::metadata(self::server()->apiKey()))->wait();
        $this->assertNull($response);
        $this->assertSame(CallStatus::UNAVAILABLE, $status->code);
    }

    public function testTheBaseComesFromClarifaiGrpcBase(): void
    {
        putenv('CLARIFAI_GRPC_BASE=' . self::server()->url());
        try {
            $client = ClarifaiClient::grpc();
        } finally {
            putenv('CLARIFAI_GRPC_BASE');
        }
        [$response, $status] = $client->ListInputs([], self::metadata(self::server()->apiKey()))->wait();
        $this->assertSame(0, $status->code);
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
    }

    public function testBadOptionsAreRefusedByGrpc(): void
    {
        $this->expectException(InvalidArgumentException::class);
        ClarifaiClient::grpc(['baseUrl' => 'ftp://typo']);
    }

    public function testCallsStartedBeforeTheirWaitRunConcurrently(): void
    {
        $client = self::client();
        $metadata = self::metadata(self::server()->apiKey());
        $client->ListInputs([], $metadata)->wait(); // warm up the pool
        // Each ListAnnotations takes 50 ms: in sequence 20 take a second.
        $start = hrtime(true);
        $calls = [];
        for ($i = 0; $i < 20; $i++) {
            $calls[] = $client->ListAnnotations(new ListAnnotationsRequest(['per_page' => $i + 1]), $metadata);
        }
        foreach ($calls as $call) {
            [$response, $status] = $call->wait();
            $this->assertSame(0, $status->code);
            $this->assertInstanceOf(MultiAnnotationResponse::class, $response);
            $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
        }
        $elapsedMs = (hrtime(true) - $start) / 1e6;
        $bound = 500 * (float) (getenv('CLARIFAI_TEST_TIME_FACTOR') ?: 1);
        $this->assertLessThan($bound, $elapsedMs, sprintf('20 calls took %.0f ms', $elapsedMs));
    }

    public function testCallsWithDifferentCredentialsInOneWait(): void
    {
        $client = self::client();
        $byKey = $client->PostModelOutputs(self::predict(), self::metadata(self::server()->apiKey()));
        $byPat = $client->PostModelOutputs(self::predict(), self::metadata(self::server()->pat()));
        $none = $client->PostModelOutputs(self::predict(), []);
        $this->assertSame(StatusCode::SUCCESS, $byPat->wait()[0]->getStatus()->getCode());
        $this->assertSame(StatusCode::CONN_KEY_INVALID, $byKey->wait()[0]->getStatus()->getCode());
        $this->assertSame(StatusCode::CONN_INVALID_REQUEST, $none->wait()[0]->getStatus()->getCode());
        // wait() again gives the same answer without sending again.
        $this->assertSame($byPat->wait()[0], $byPat->wait()[0]);
    }

    public function testACallIsSentWhenStartedNotWhenWaitedFor(): void
    {
        self::server()->clearRequests();
        $call = self::client()->ListInputs([], self::metadata(self::server()->apiKey()));
        $deadline = hrtime(true) + 2_000_000_000;
        while (self::server()->requests() === [] && hrtime(true) < $deadline) {
            usleep(1000);
        }
        $this->assertCount(1, self::server()->requests(), 'the call reached the server before wait()');
        $this->assertSame(StatusCode::SUCCESS, $call->wait()[0]->getStatus()->getCode());
    }

    public function testUnknownAndStreamingRpcsThrowNamingTheRpc(): void
    {
        try {
            self::client()->PostFrobnications([], self::metadata(self::CANARY_KEY));
            $this->fail('accepted');
        } catch (UnknownEndpointException $e) {
            $this->assertStringContainsString('PostFrobnications', $e->getMessage());
            $this->assertSame('CLARIFAI_RESULT_UNKNOWN_ENDPOINT', $e->getResult());
        }
        try {
            self::client()->StreamModelOutputs([], self::metadata(self::CANARY_KEY));
            $this->fail('accepted');
        } catch (InvalidArgumentException $e) {
            $this->assertStringContainsString('StreamModelOutputs is a streaming RPC', $e->getMessage());
        }
    }

    public function testTheTimeoutCallOptionIsADeadlineInMicroseconds(): void
    {
        $client = self::client();
        $metadata = self::metadata(self::server()->apiKey());
        // This test's emulator delays ListAnnotations by 50 ms.
        [$response, $status] = $client->ListAnnotations([], $metadata, ['timeout' => 5_000])->wait();
        $this->assertNull($response);
        $this->assertSame(CallStatus::DEADLINE_EXCEEDED, $status->code);
        $this->assertNotSame('', $status->details);
        [$response, $status] = $client->ListAnnotations([], $metadata, ['timeout' => 5_000_000])->wait();
        $this->assertSame([CallStatus::OK, StatusCode::SUCCESS], [$status->code, $response->getStatus()->getCode()]);
        // The call's deadline, not the client's: a generous one wins over a client timeout too short.
        [$response, $status] = self::client(['timeoutMs' => 5])->ListAnnotations([], $metadata, ['timeout' => 2.5e6])->wait();
        $this->assertSame(CallStatus::OK, $status->code);
        // A deadline already past, as the grpc package has it: no request at all.
        self::server()->clearRequests();
        foreach ([0, -1] as $timeout) {
            [$response, $status] = $client->ListInputs([], $metadata, ['timeout' => $timeout])->wait();
            $this->assertSame([null, CallStatus::DEADLINE_EXCEEDED], [$response, $status->code]);
        }
        $this->assertSame([], self::server()->requests());
    }

    public function testOtherCallOptionsAreRefusedRatherThanIgnored(): void
    {
        foreach ([[['flags' => 1], 'the call option flags is not supported'], [['timeout' => '1s'], 'timeout must be a number of microseconds, not string']] as [$options, $message]) {
            try {
                self::client()->ListInputs([], self::metadata(self::server()->apiKey()), $options);
                $this->fail('accepted ' . json_encode($options));
            } catch (InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
    }

    public function testARequestOfAnotherRpcIsATypeError(): void
    {
        $this->expectException(\TypeError::class);
        self::client()->ListInputs(self::predict(), self::metadata(self::server()->apiKey()));
    }

    public function testEveryUnaryRpcOfTheCatalogueIsAMethod(): void
    {
        $catalog = json_decode((string) file_get_contents(\dirname(__DIR__, 3) . '/src/catalog/catalog.json'), true, 512, JSON_THROW_ON_ERROR);
        $methods = array_flip(array_map('strtolower', get_class_methods(V2Client::class)));
        $unary = 0;
        foreach ($catalog['endpoints'] as $endpoint) {
            if (!$endpoint['streaming']) {
                $unary++;
                $this->assertArrayHasKey(strtolower($endpoint['name']), $methods, $endpoint['name']);
            }
        }
        $this->assertSame(264, $unary);
    }
}
