<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Exception\ClarifaiException;
use Clarifai\API\Exception\KeyNotFoundException;
use Clarifai\API\Grpc\CallStatus;
use Clarifai\Api\Status\StatusCode;

/**
 * A server that echoes the credential back (the emulator's `echo` fault: in the status
 * description and details, an `x-echo` header and an `echo` member of the body) never gets it
 * to the caller: the library redacts its own credential from everything it hands over, so every
 * accessor of the response, of the exception and of the gRPC form's answer shows "[redacted]"
 * (#19.2). ListInputs echoes with 200, GetInputCount with 401.
 */
final class RedactionTest extends TestCase
{
    private const MARK = 'Key [redacted]';

    private static ?Emulator $server = null;

    public static function setUpBeforeClass(): void
    {
        self::$server = Emulator::spawn(Emulator::binary(), ['--fault', 'ListInputs=echo', '--fault', 'GetInputCount=echo:401'], getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null');
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

    /** @return iterable<string, array{string}> */
    public static function credentials(): iterable
    {
        yield 'app key' => ['apiKey'];
        yield 'PAT' => ['pat'];
    }

    private static function client(string $kind): ClarifaiClient
    {
        $server = self::server();
        $options = ['baseUrl' => $server->url(), 'maxRetries' => 0];
        return $kind === 'pat' ? ClarifaiClient::withPat($server->pat(), $server->userId(), $server->appId(), $options) : new ClarifaiClient($server->apiKey(), $options);
    }

    /** The text must hold the redaction mark where the server echoed, and no secret. */
    private static function assertRedacted(string $text, string $what): void
    {
        self::assertNoSecret($text, ...self::server()->secrets());
        self::assertTrue(str_contains($text, self::MARK), "$what shows the echo, redacted");
    }

    /** @dataProvider credentials */
    public function testEveryAccessorOfAResponse(string $kind): void
    {
        $client = self::client($kind);
        $response = $client->callResponse('ListInputs');
        $this->assertSame(StatusCode::SUCCESS, $response->getStatusCode());
        self::assertRedacted($response->getJson(), 'getJson()');
        self::assertRedacted(json_encode($response->toArray(), JSON_THROW_ON_ERROR), 'toArray()');
        self::assertRedacted($response->getDescription(), 'getDescription()');
        self::assertRedacted((string) $response->getHeader('x-echo'), 'getHeader()');
        self::assertNoSecret($response->getReqId() . print_r($response, true), ...self::server()->secrets());
        self::assertRedacted(json_encode($client->call('ListInputs'), JSON_THROW_ON_ERROR), 'call()');
        self::assertRedacted(json_encode($client->request('GET', '/v2/inputs'), JSON_THROW_ON_ERROR), 'request()');
        self::assertRedacted($client->requestResponse('GET', '/v2/inputs')->getJson(), 'requestResponse()');
        self::assertRedacted(json_encode($client->callMany([['ListInputs']])[0], JSON_THROW_ON_ERROR), 'callMany()');
    }

    /** @dataProvider credentials */
    public function testEveryAccessorOfAnException(string $kind): void
    {
        $client = self::client($kind);
        $failures = ['call()' => null, 'callMany()' => null];
        try {
            $client->call('GetInputCount');
        } catch (KeyNotFoundException $e) {
            $failures['call()'] = $e;
        }
        $failures['callMany()'] = $client->callMany([['GetInputCount']])[0];
        foreach ($failures as $where => $e) {
            $this->assertInstanceOf(KeyNotFoundException::class, $e, $where);
            \assert($e instanceof ClarifaiException);
            $this->assertSame(401, $e->getHttpStatus());
            self::assertRedacted($e->getMessage(), "$where getMessage()");
            self::assertRedacted($e->getDescription(), "$where getDescription()");
            self::assertRedacted($e->getDetails(), "$where getDetails()");
            self::assertRedacted((string) $e->getHeader('x-echo'), "$where getHeader()");
            self::assertRedacted((string) $e, "$where __toString()");
            self::assertNoSecret($e->getReqId() . $e->getTraceAsString() . print_r($e->getTrace(), true) . print_r($e, true), ...self::server()->secrets());
        }
    }

    /** @dataProvider credentials */
    public function testTheGrpcFormsResponseAndStatus(string $kind): void
    {
        $server = self::server();
        $client = \Clarifai\ClarifaiClient::grpc(['baseUrl' => $server->url(), 'maxRetries' => 0]);
        $metadata = ['Authorization' => ['Key ' . ($kind === 'pat' ? $server->pat() : $server->apiKey())]];
        $request = $kind === 'pat' ? ['user_app_id' => ['user_id' => $server->userId(), 'app_id' => $server->appId()]] : [];
        foreach (['ListInputs' => StatusCode::SUCCESS, 'GetInputCount' => StatusCode::CONN_KEY_NOT_FOUND] as $rpc => $code) {
            $call = $client->{$rpc}($request, $metadata);
            [$response, $status] = $call->wait();
            $this->assertSame(CallStatus::OK, $status->code, $rpc);
            $this->assertSame($code, $response->getStatus()->getCode(), $rpc);
            self::assertRedacted($response->serializeToJsonString(), "$rpc \$response");
            self::assertRedacted($response->getStatus()->getDescription(), "$rpc description");
            self::assertRedacted($response->getStatus()->getDetails(), "$rpc details");
            self::assertNoSecret($status->details . print_r($status, true) . print_r($response, true) . print_r($call->getTrailingMetadata(), true), ...$server->secrets());
        }
    }
}
