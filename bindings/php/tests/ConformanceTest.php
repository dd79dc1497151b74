<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Exception;
use Clarifai\API\Response;

/**
 * The shared conformance vectors (tests/vectors/cases.json; format in its README.md), run
 * through the PHP API: call() by endpoint name, request() for raw requests.
 */
final class ConformanceTest extends TestCase
{
    /** @var array<string, mixed>|null */
    private static ?array $vectors = null;
    /** @var array<string, ClarifaiClient> */
    private static array $clients = [];

    /** @return array<string, mixed> */
    private static function vectors(): array
    {
        return self::$vectors ??= json_decode(
            (string) file_get_contents(\dirname(__DIR__, 3) . '/tests/vectors/cases.json'),
            true,
            512,
            JSON_THROW_ON_ERROR,
        );
    }

    /** @return iterable<string, array{array<string, mixed>}> */
    public static function cases(): iterable
    {
        foreach (self::vectors()['cases'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /** @return iterable<string, array{array<string, mixed>}> */
    public static function optionCases(): iterable
    {
        foreach (self::vectors()['option_cases'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * The same bad setting is refused as in every other front end: the library checks it when
     * the client is made, the binding passes it on as set.
     *
     * @dataProvider optionCases
     * @param array<string, mixed> $case
     */
    public function testOptionCase(array $case): void
    {
        $names = [
            'base_url' => 'baseUrl', 'timeout_ms' => 'timeoutMs', 'connect_timeout_ms' => 'connectTimeoutMs',
            'user_agent' => 'userAgent', 'max_concurrency' => 'maxConcurrency', 'max_retries' => 'maxRetries',
            'max_response_bytes' => 'maxResponseBytes', 'proxy' => 'proxy',
        ];
        $options = [];
        foreach ($case['options'] as $name => $value) {
            $this->assertArrayHasKey($name, $names, 'an option the vectors README defines');
            $options[$names[$name]] = $value;
        }
        $want = $case['expect']['result'];
        try {
            $client = self::apiKeyClient(null, $options);
        } catch (Exception\ClarifaiException $e) {
            $this->assertSame($want, $e->getResult(), 'result: ' . $e->getMessage());
            $this->assertInstanceOf(self::documentedClass($want), $e, 'exception class');
            $this->assertNoSecret($e->getMessage());
            return;
        }
        $this->assertSame($want, 'CLARIFAI_RESULT_OK', 'the client was made');
        if (!($case['expect']['no_call'] ?? false)) {
            $client->call('ListInputs', []);
        }
    }

    public static function setUpBeforeClass(): void
    {
        $emulator = self::emulator();
        $pat = self::patClient();
        foreach (self::vectors()['setup']['apps'] ?? [] as $app) {
            try {
                $pat->createApp($app);
            } catch (Exception\ClarifaiException $e) {
                // Another suite of this run may have created it: the README says to go on.
                if (!str_contains(strtolower($e->getMessage()), 'exist')) {
                    throw $e;
                }
            }
        }
        foreach (self::vectors()['credentials'] as $name => $spec) {
            self::$clients[$name] = match (true) {
                $spec['kind'] === 'pat' => self::patClient(),
                isset($spec['token']) => self::apiKeyClient($spec['token']),
                isset($spec['create']) => self::apiKeyClient($pat->createKey(
                    $spec['create']['app'] === 'demo' ? $emulator->appId() : $spec['create']['app'],
                    $spec['create']['scopes'],
                    $spec['create']['endpoints'],
                    'conformance: ' . $name,
                    'me',
                )['id']),
                default => self::apiKeyClient(),
            };
        }
    }

    public static function tearDownAfterClass(): void
    {
        self::$clients = [];
    }

    /**
     * @dataProvider cases
     * @param array<string, mixed> $case
     */
    public function testCase(array $case): void
    {
        $case = $this->substitute($case);
        $expect = $case['expect'];
        $client = self::$clients[$case['credential']];
        $response = null;
        $error = null;
        try {
            $response = isset($case['call'])
                ? $client->callResponse($case['call']['endpoint'], $case['call']['params'] ?? [])
                : $client->requestResponse($case['request']['method'], $case['request']['path'], $case['request']['body'] ?? null);
        } catch (Exception\ClarifaiException $e) {
            $error = $e;
        }

        if ($response !== null) {
            $this->assertSame($expect['result'], 'CLARIFAI_RESULT_OK', 'the call succeeded');
            $this->check($expect, $response->getStatusCode(), $response->getHttpStatus(), $response->getHeader('X-Clarifai-Emulator-Route'));
            return;
        }
        $this->assertNoSecret($error->getMessage());
        $this->assertSame($expect['result'], $error->getResult(), 'result: ' . $error->getMessage());
        $this->assertInstanceOf(self::documentedClass($expect['result']), $error, 'exception class');
        $this->check($expect, $error->getStatusCode(), $error->getHttpStatus(), $error->getHeader('X-Clarifai-Emulator-Route'));
        if (\array_key_exists('missing_scopes', $expect)) {
            $this->assertInstanceOf(Exception\MissingScopesException::class, $error);
            $this->assertSame($expect['missing_scopes'], $error->getMissingScopes(), 'missing scopes');
        }
        if (\array_key_exists('missing_endpoint', $expect)) {
            $this->assertInstanceOf(Exception\MissingScopesException::class, $error);
            $this->assertSame($expect['missing_endpoint'] === null ? [] : [$expect['missing_endpoint']], $error->getMissingEndpoints(), 'missing endpoint');
        }
        if (\array_key_exists('retry_after', $expect)) {
            $this->assertInstanceOf(Exception\ThrottledException::class, $error);
            $this->assertSame($expect['retry_after'], $error->getRetryAfter(), 'retry after');
        }
    }

    /** @param array<string, mixed> $expect */
    private function check(array $expect, int $code, int $http, ?string $route): void
    {
        if (\array_key_exists('code', $expect)) {
            $this->assertSame($expect['code'], $code, 'Clarifai status code');
        }
        if (\array_key_exists('http', $expect)) {
            $this->assertSame($expect['http'], $http, 'HTTP status');
        }
        if (\array_key_exists('route', $expect)) {
            $this->assertSame($expect['route'], $route, 'route the emulator saw');
        }
    }

    private function substitute(mixed $value): mixed
    {
        if (\is_string($value)) {
            return strtr($value, ['{user_id}' => self::emulator()->userId(), '{app_id}' => self::emulator()->appId()]);
        }
        return \is_array($value) ? array_map($this->substitute(...), $value) : $value;
    }
}
