<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

/**
 * No exception trace holds a secret. With PHP's built-in default zend.exception_ignore_args=0
 * (the development ini, or no ini at all), a trace keeps the arguments of every frame: whole in
 * getTrace(), the first 15 characters in getTraceAsString(). Error trackers record them. Every
 * parameter that can carry a key, a PAT, a key id or the docs' metadata is a
 * #[\SensitiveParameter]; this runs each failure path below such a frame, in a PHP process with
 * the arguments kept, and looks for the canary key in everything the exceptions hold.
 */
final class TracesTest extends TestCase
{
    /** Each failure path, run with the canary as the secret; prints every exception's traces. */
    private const PATHS = <<<'PHP'
        use Clarifai\API\ClarifaiClient;
        use Clarifai\ClarifaiClient as Docs;

        $canary = getenv('CANARY');
        $dead = ['baseUrl' => 'http://127.0.0.1:1', 'maxRetries' => 0];
        $metadata = ['Authorization' => ['Key ' . $canary]];
        $paths = [
            'bad base URL' => fn () => new ClarifaiClient($canary, ['baseUrl' => 'ftp://typo']),
            'proxy password in the options' => fn () => new ClarifaiClient('a-key', ['proxy' => "http://user:$canary@127.0.0.1:1", 'timeoutMs' => 0]),
            'proxy password in ClientOptions' => fn () => ClarifaiClient::fromEnv(new Clarifai\API\ClientOptions(proxy: "http://user:$canary@127.0.0.1:1", timeoutMs: -1)),
            'key read with its newline' => fn () => new ClarifaiClient($canary . "\n"),
            'key with a NUL byte' => fn () => new ClarifaiClient($canary . "\0"),
            'withPat, bad user id' => fn () => ClarifaiClient::withPat($canary, 'bad user!', 'app'),
            'usingApiKey' => fn () => (new ClarifaiClient('a-key', $dead))->usingApiKey($canary . "\n"),
            'usingPat, bad user id' => fn () => (new ClarifaiClient('a-key', $dead))->usingPat($canary, 'bad user!', 'app'),
            'deleteKey, no network' => fn () => ClarifaiClient::withPat('a-pat', 'me', 'app', $dead)->deleteKey($canary),
            'rotateKey, no network' => fn () => ClarifaiClient::withPat('a-pat', 'me', 'app', $dead)->rotateKey($canary),
            'call with a key id, no network' => fn () => ClarifaiClient::withPat('a-pat', 'me', 'app', $dead)->call('GetKey', ['key_id' => $canary]),
            'callResponse with a key id, no network' => fn () => ClarifaiClient::withPat('a-pat', 'me', 'app', $dead)->callResponse('GetKey', ['key_id' => $canary]),
            'request with a key id in the path' => fn () => (new ClarifaiClient('a-key', $dead))->request('GET', '/v2/keys/' . $canary),
            'requestResponse with a key in the body' => fn () => (new ClarifaiClient('a-key', $dead))->requestResponse('PATCH', '/v2/keys', ['keys' => [['id' => $canary]]]),
            'callMany with a key id (the slot\'s exception)' => fn () => throw ClarifaiClient::withPat('a-pat', 'me', 'app', $dead)->callMany(['k' => ['GetKey', ['key_id' => $canary]]])['k'],
            'gRPC form: an unsupported call option' => fn () => Docs::grpc($dead)->GetKey(new Clarifai\Api\GetKeyRequest(['key_id' => $canary]), $metadata, ['flags' => 1]),
            'gRPC form: unknown RPC' => fn () => Docs::grpc($dead)->GetKeys(['key_id' => $canary], $metadata),
            'gRPC form: request of another RPC' => fn () => Docs::grpc($dead)->ListInputs(new Clarifai\Api\GetKeyRequest(['key_id' => $canary]), $metadata),
            'gRPC form: bad field in a request array' => fn () => Docs::grpc($dead)->GetKey(['key_id' => $canary, 'no_such_field' => 1], $metadata),
            'gRPC form: message of a wrong type' => fn () => new Clarifai\Api\Key(['id' => $canary, 'scopes' => 'All']),
            'gRPC form: setter of a wrong type' => fn () => (new Clarifai\Api\Key(['id' => $canary]))->setApps('x'),
            'gRPC form: JSON with an unknown field' => fn () => (new Clarifai\Api\Key())->mergeFromJsonString('{"id": "' . $canary . '", "no_such_field": 1}'),
            'gRPC form: bad base URL' => fn () => Docs::grpc(['baseUrl' => 'ftp://typo'])->GetKey(['key_id' => $canary], $metadata),
            'gRPC form: proxy password in the options' => fn () => Docs::grpc('api.clarifai.com', ['proxy' => "http://user:$canary@127.0.0.1:1", 'timeoutMs' => 0]),
        ];
        foreach ($paths as $name => $path) {
            try {
                $path();
                echo "=== $name: no exception\n";
            } catch (Throwable $e) {
                echo "=== $name: ", get_class($e), "\n";
                for (; $e !== null; $e = $e->getPrevious()) {
                    echo $e->getMessage(), "\n", $e->getTraceAsString(), "\n", print_r($e->getTrace(), true), "\n";
                }
            }
        }
        // A failed call of the gRPC form is a status, with the metadata in no trace at all.
        [$response, $status] = Docs::grpc($dead)->GetKey(['user_app_id' => ['user_id' => 'me', 'app_id' => 'app'], 'key_id' => $canary], $metadata)->wait();
        echo "=== gRPC form: dead server: status ", $status->code, ' ', $status->details, "\n";
        PHP;

    public function testNoTraceOfAnyFailurePathHoldsTheSecret(): void
    {
        $code = 'require ' . var_export(\dirname(__DIR__) . '/autoload.php', true) . ";\n" . self::PATHS;
        $process = proc_open(
            // PHP's built-in defaults, which the development ini keeps and php.ini-production changes.
            [PHP_BINARY, '-d', 'zend.exception_ignore_args=0', '-d', 'zend.exception_string_param_max_len=15', '-r', $code],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            null,
            ['CANARY' => self::CANARY_KEY] + getenv(),
        );
        $output = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        $status = proc_close($process);
        $this->assertSame(0, $status, 'the script ran to its end');

        preg_match_all('/^=== (.*): (.*)$/m', $output, $m, PREG_SET_ORDER);
        $this->assertCount(25, $m);
        foreach ($m as [, $path, $outcome]) {
            $this->assertStringNotContainsString('no exception', $outcome, $path);
        }
        // The arguments are kept: the traces show those that are not secret.
        // (Never assertStringContainsString() on the output: a failure would print it.)
        $this->assertTrue(str_contains($output, "'bad user!'"), 'a trace string shows the user id');
        $this->assertTrue(str_contains($output, 'status 14 connection failed'), 'the gRPC form reports the dead server');
        $this->assertTrue(str_contains($output, 'SensitiveParameterValue'), 'a trace shows a hidden argument');
        $this->assertFalse(str_contains($output, self::CANARY_KEY), 'the canary key appears in a trace');
        // getTraceAsString() cuts arguments to 15 characters.
        $this->assertFalse(str_contains($output, substr(self::CANARY_KEY, 0, 15)), 'the start of the canary key appears in a trace');
    }
}
