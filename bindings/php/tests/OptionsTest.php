<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\ClientOptions;
use Clarifai\API\Exception;
use Clarifai\API\Native\Library;

/**
 * Client options: PHP only hands them over; the library checks every value when the client is
 * made, so a bad one fails exactly as it does from C (and so from every other language).
 */
final class OptionsTest extends TestCase
{
    /** An address no test server listens on, and not loopback: only a proxy can reach it. */
    private const REMOTE = 'http://192.0.2.1';

    /** @return iterable<string, array{string, string, mixed}> option, its C setter, a bad value */
    public static function badValues(): iterable
    {
        yield 'zero timeout' => ['timeoutMs', 'clarifai_client_options_set_timeout_ms', 0];
        yield 'zero connect timeout' => ['connectTimeoutMs', 'clarifai_client_options_set_connect_timeout_ms', 0];
        yield 'retries over the limit' => ['maxRetries', 'clarifai_client_options_set_max_retries', 11];
        yield 'zero concurrency' => ['maxConcurrency', 'clarifai_client_options_set_max_concurrency', 0];
        yield 'zero response size' => ['maxResponseBytes', 'clarifai_client_options_set_max_response_bytes', 0];
        yield 'base URL not a URL' => ['baseUrl', 'clarifai_client_options_set_base_url', 'not a url'];
        yield 'base URL of another scheme' => ['baseUrl', 'clarifai_client_options_set_base_url', 'ftp://typo'];
        yield 'plain http to a remote host' => ['baseUrl', 'clarifai_client_options_set_base_url', 'http://example.com'];
        yield 'empty user agent' => ['userAgent', 'clarifai_client_options_set_user_agent', ''];
        yield 'user agent with a control character' => ['userAgent', 'clarifai_client_options_set_user_agent', "php\x01"];
        yield 'proxy not a URL' => ['proxy', 'clarifai_client_options_set_proxy', 'not a proxy'];
        yield 'CA file missing' => ['caFile', 'clarifai_client_options_set_ca_file', '/nonexistent/ca.pem'];
    }

    /** @dataProvider badValues */
    public function testABadValueFailsAsItDoesFromC(string $option, string $setter, mixed $value): void
    {
        [$result, $message] = self::fromC($setter, $value);
        $this->assertNotSame('CLARIFAI_RESULT_OK', $result, 'the library refuses it');
        try {
            new ClarifaiClient('a-key', [$option => $value]);
            $this->fail("$option accepted");
        } catch (Exception\ClarifaiException $e) {
            $this->assertSame([$result, $message], [$e->getResult(), $e->getMessage()]);
            $this->assertInstanceOf(self::documentedClass($result), $e);
        }
        // The gRPC form's options are the same ones.
        try {
            \Clarifai\ClarifaiClient::grpc([$option => $value]);
            $this->fail("$option accepted by grpc()");
        } catch (Exception\ClarifaiException $e) {
            $this->assertSame([$result, $message], [$e->getResult(), $e->getMessage()]);
        }
    }

    public function testZeroIsNotMistakenForUnset(): void
    {
        $this->expectException(Exception\InvalidArgumentException::class);
        $this->expectExceptionMessage('timeout');
        new ClarifaiClient(self::emulator()->apiKey(), ['timeoutMs' => 0]);
    }

    public function testValuesWithoutACValueAreRefusedByName(): void
    {
        $cases = [
            [['timeoutMs' => -1], 'invalid argument: timeoutMs is -1, which does not fit the C type uint64_t'],
            [['maxRetries' => 1 << 32], 'invalid argument: maxRetries is 4294967296, which does not fit the C type uint32_t'],
            [['maxConcurrency' => -5], 'invalid argument: maxConcurrency is -5, which does not fit the C type size_t'],
        ];
        foreach ($cases as [$options, $message]) {
            try {
                new ClarifaiClient('a-key', $options);
                $this->fail('accepted ' . json_encode($options));
            } catch (Exception\InvalidArgumentException $e) {
                $this->assertSame($message, $e->getMessage());
                $this->assertSame('CLARIFAI_RESULT_INVALID_ARGUMENT', $e->getResult());
            }
        }
    }

    public function testUnknownOptionsAndWrongTypesAreRefused(): void
    {
        foreach ([[['baseurl' => 'x'], 'unknown client option baseurl'], [['maxRetries' => 'two'], 'of the wrong type'], [['proxyFromEnv' => 'no'], 'of the wrong type']] as [$options, $message]) {
            try {
                self::apiKeyClient(null, $options);
                $this->fail('options accepted: ' . json_encode($options));
            } catch (Exception\InvalidArgumentException $e) {
                $this->assertSame('CLARIFAI_RESULT_INVALID_ARGUMENT', $e->getResult());
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
    }

    public function testOptionsAreApplied(): void
    {
        $emulator = self::emulator();
        // A 50 ms delay against a 20 ms timeout: the timeout must fire.
        $client = new ClarifaiClient($emulator->apiKey(), new ClientOptions(
            baseUrl: $emulator->url(),
            timeoutMs: 20,
            connectTimeoutMs: 1000,
            maxRetries: 0,
            maxConcurrency: 4,
            userAgent: 'php-tests/1.0',
            maxResponseBytes: 1 << 20,
        ));
        try {
            $client->call('ListAnnotations');
            $this->fail('the timeout did not fire');
        } catch (Exception\TransportException $e) {
            $this->assertSame('CLARIFAI_RESULT_TIMEOUT', $e->getResult());
        }
    }

    public function testHttp2PriorKnowledge(): void
    {
        $emulator = self::emulator();
        foreach ([null => 'HTTP/1.1', 0 => 'HTTP/1.1', 1 => 'HTTP/2'] as $on => $version) {
            $options = ['baseUrl' => $emulator->url()] + ($on === '' ? [] : ['http2PriorKnowledge' => (bool) $on]);
            (new ClarifaiClient($emulator->apiKey(), $options))->call('ListInputs');
            $seen = $emulator->requests();
            $this->assertSame($version, end($seen)['http_version'], json_encode($options));
        }
        [$response, $status] = \Clarifai\ClarifaiClient::grpc(['baseUrl' => $emulator->url(), 'http2PriorKnowledge' => true])
            ->ListInputs([], ['Authorization' => ['Key ' . $emulator->apiKey()]])->wait();
        $this->assertSame(0, $status->code);
        $seen = $emulator->requests();
        $this->assertSame('HTTP/2', end($seen)['http_version'], 'the gRPC form');
    }

    public function testProxy(): void
    {
        $emulator = self::emulator();
        // The emulator answers a proxy's requests as it answers its own: only through it can
        // the remote address be reached.
        $options = ['baseUrl' => self::REMOTE, 'dangerAllowInsecureHttp' => true, 'maxRetries' => 0, 'connectTimeoutMs' => 500];
        $this->assertSame(10000, (new ClarifaiClient($emulator->apiKey(), $options + ['proxy' => $emulator->url()]))->call('ListInputs')['status']['code']);
        [$response, $status] = \Clarifai\ClarifaiClient::grpc($options + ['proxy' => $emulator->url()])
            ->ListInputs([], ['Authorization' => ['Key ' . $emulator->apiKey()]])->wait();
        $this->assertSame([0, 10000], [$status->code, $response->getStatus()->getCode()], 'the gRPC form');
        $this->expectException(Exception\TransportException::class);
        (new ClarifaiClient($emulator->apiKey(), $options))->call('ListInputs');
    }

    public function testProxyFromTheEnvironmentUnlessTurnedOff(): void
    {
        $emulator = self::emulator();
        $options = ['baseUrl' => self::REMOTE, 'dangerAllowInsecureHttp' => true, 'maxRetries' => 0, 'connectTimeoutMs' => 500];
        putenv('http_proxy=' . $emulator->url());
        try {
            $byDefault = new ClarifaiClient($emulator->apiKey(), $options);
            $turnedOn = new ClarifaiClient($emulator->apiKey(), $options + ['proxyFromEnv' => true]);
            $turnedOff = new ClarifaiClient($emulator->apiKey(), $options + ['proxyFromEnv' => false]);
        } finally {
            putenv('http_proxy');
        }
        $this->assertSame(10000, $byDefault->call('ListInputs')['status']['code']);
        $this->assertSame(10000, $turnedOn->call('ListInputs')['status']['code']);
        $this->expectException(Exception\TransportException::class);
        $turnedOff->call('ListInputs');
    }

    public function testAProxyPasswordIsInNoErrorAndNoDump(): void
    {
        $proxy = 'http://user:' . self::CANARY_KEY . '@127.0.0.1:1';
        try {
            (new ClarifaiClient('a-key', ['baseUrl' => self::REMOTE, 'dangerAllowInsecureHttp' => true, 'maxRetries' => 0, 'proxy' => $proxy]))->call('ListInputs');
            $this->fail('the proxy does not exist');
        } catch (Exception\TransportException $e) {
            $this->assertNoSecret($e->getMessage() . $e->getTraceAsString() . print_r($e->getTrace(), true));
        }
        $dump = print_r(new ClientOptions(proxy: $proxy), true);
        $this->assertNoSecret($dump);
        $this->assertTrue(str_contains($dump, 'http://(secret)@127.0.0.1:1'), 'the dump shows the proxy without its user');
    }

    public function testRuntimeWorkerThreads(): void
    {
        // In processes of their own: the runtime starts once per process.
        $script = <<<'PHP'
            use Clarifai\API\ClarifaiClient;
            use Clarifai\API\Exception\ClarifaiException;
            $threads = (int) getenv('TEST_THREADS');
            try {
                ClarifaiClient::setRuntimeWorkerThreads($threads);
                (new ClarifaiClient(getenv('TEST_KEY'), ['baseUrl' => getenv('TEST_URL')]))->call('ListInputs');
                // A new thread names itself once it runs: give the workers a moment.
                for ($i = 0; $i < 200; $i++) {
                    $names = array_map(static fn (string $task): string => trim((string) file_get_contents("$task/comm")), glob('/proc/self/task/*'));
                    $workers = array_count_values($names)['clarifai-runtim'] ?? 0;
                    if ($workers >= $threads) {
                        break;
                    }
                    usleep(10_000);
                }
                echo 'workers ', $workers, "\n";
                ClarifaiClient::setRuntimeWorkerThreads($threads);
                echo "the same count again: accepted\n";
                ClarifaiClient::setRuntimeWorkerThreads($threads + 1);
            } catch (ClarifaiException $e) {
                echo get_class($e), ': ', $e->getMessage(), "\n";
            }
            PHP;
        foreach ([3 => "workers 3\nthe same count again: accepted\nClarifai\\API\\Exception\\StateException: the runtime already runs with 3 worker thread(s); set the count before the first call\n",
            0 => "Clarifai\\API\\Exception\\InvalidArgumentException: invalid argument: the runtime's worker threads must be 1 to 64, not 0\n",
            65 => "Clarifai\\API\\Exception\\InvalidArgumentException: invalid argument: the runtime's worker threads must be 1 to 64, not 65\n",
            -1 => "Clarifai\\API\\Exception\\InvalidArgumentException: invalid argument: threads is -1, which does not fit the C type size_t\n"] as $threads => $expected) {
            $this->assertSame($expected, self::runPhp($script, ['TEST_THREADS' => (string) $threads]), "$threads threads");
        }
    }

    /**
     * What the library says of a client made from C with one option set by `$setter`.
     *
     * @return array{string, string} the result name and the message
     */
    private static function fromC(string $setter, mixed $value): array
    {
        $ffi = Library::ffi();
        $options = $ffi->clarifai_client_options_new();
        $error = $ffi->new('clarifai_error*[1]');
        $client = $ffi->new('clarifai_client*[1]');
        try {
            self::assertSame($ffi->CLARIFAI_RESULT_OK, $ffi->{$setter}($options, $value, $error), 'the setter only stores');
            $result = $ffi->clarifai_client_new_api_key('a-key', $options, $client, $error);
            if ($result === $ffi->CLARIFAI_RESULT_OK) {
                return ['CLARIFAI_RESULT_OK', ''];
            }
            return [$ffi->clarifai_result_name($result), $ffi->clarifai_error_message($error[0])];
        } finally {
            $ffi->clarifai_client_free($client[0]);
            $ffi->clarifai_error_free($error[0]);
            $ffi->clarifai_client_options_free($options);
        }
    }

    /** @param array<string, string> $env */
    private static function runPhp(string $script, array $env): string
    {
        $code = 'require ' . var_export(\dirname(__DIR__) . '/autoload.php', true) . ";\n" . $script;
        $process = proc_open([PHP_BINARY, '-r', $code], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null,
            $env + ['TEST_KEY' => self::emulator()->apiKey(), 'TEST_URL' => self::emulator()->url()] + getenv());
        $output = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        proc_close($process);
        self::assertNoSecret($output);
        return $output;
    }
}
