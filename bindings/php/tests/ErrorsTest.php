<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Exception;
use Clarifai\API\Native\ErrorKinds;
use Clarifai\API\Native\Errors;
use Clarifai\API\Native\Library;

/** Every result code becomes its exception class, with the details the API gave. */
final class ErrorsTest extends TestCase
{
    protected function tearDown(): void
    {
        self::emulator()->clearFaults();
    }

    public function testEveryResultCodeTheLibraryNamesIsThrownAsDocsErrorsMdSays(): void
    {
        $ffi = Library::ffi();
        $names = [];
        // Walk past the last known code: a code added to the library must have a kind too.
        for ($code = 1; $ffi->clarifai_result_name($code) !== 'CLARIFAI_RESULT_UNKNOWN'; $code++) {
            $name = $ffi->clarifai_result_name($code);
            $names[] = $name;
            $this->assertArrayHasKey($name, ErrorKinds::KINDS, "ErrorKinds.php has no kind for $name: run scripts/gen-bindings");
            $this->assertSame($code, $ffi->{$name}, "the declarations give $name its value");
            $class = Errors::classFor($code);
            $this->assertTrue(is_a($class, self::documentedClass($name), true), "$name is thrown as $class, a " . self::documentedClass($name));
            if ($class !== self::documentedClass($name)) {
                // The one narrower class: kept for code written before the Configuration kind.
                $this->assertSame(['CLARIFAI_RESULT_MISSING_CONFIG', Exception\MissingConfigException::class], [$name, $class]);
            }
            $this->assertTrue(is_a($class, Exception\ClarifaiException::class, true), "$class is a ClarifaiException");
        }
        $this->assertEqualsCanonicalizing(array_keys(ErrorKinds::KINDS), $names);
        $this->assertSame(Exception\ClarifaiException::class, Errors::classFor($code), 'an unknown result');
    }

    public function testTheApiKindsDeriveFromApiException(): void
    {
        $doc = (string) file_get_contents(\dirname(__DIR__, 3) . '/docs/errors.md');
        $this->assertSame(1, preg_match('/the API\s+kinds \((\w+) … (\w+)\) from the Api kind\'s class/', $doc, $m));
        $kinds = array_values(array_unique(ErrorKinds::KINDS));
        $first = array_search($m[1], $kinds, true);
        $last = array_search($m[2], $kinds, true);
        $this->assertIsInt($first);
        $this->assertIsInt($last);
        foreach (\array_slice($kinds, $first, $last - $first + 1) as $kind) {
            $this->assertTrue(is_subclass_of(Errors::classOfKind($kind), Exception\ApiException::class), "$kind derives from ApiException");
        }
        $this->assertCount(8, \array_slice($kinds, $first, $last - $first + 1));
        $this->assertFalse(is_subclass_of(Exception\TransportException::class, Exception\ApiException::class));
    }

    /** @return iterable<string, array{string, string, class-string, int, int}> */
    public static function apiFailures(): iterable
    {
        yield 'unknown key' => ['status:401:11009', 'CLARIFAI_RESULT_KEY_NOT_FOUND', Exception\KeyNotFoundException::class, 11009, 401];
        yield 'wrong key/app pair' => ['status:401:11008', 'CLARIFAI_RESULT_KEY_INVALID', Exception\KeyInvalidException::class, 11008, 401];
        yield 'malformed request' => ['status:401:11102', 'CLARIFAI_RESULT_INVALID_REQUEST', Exception\InvalidRequestException::class, 11102, 401];
        yield 'PAT only' => ['status:403:11200', 'CLARIFAI_RESULT_PAT_REQUIRED', Exception\PatRequiredException::class, 11200, 403];
        yield 'insufficient scopes' => ['status:403:11007', 'CLARIFAI_RESULT_INSUFFICIENT_SCOPES', Exception\MissingScopesException::class, 11007, 403];
        yield 'throttled' => ['throttle:3', 'CLARIFAI_RESULT_THROTTLED', Exception\ThrottledException::class, 11005, 429];
        yield 'not found' => ['status:404', 'CLARIFAI_RESULT_NOT_FOUND', Exception\NotFoundException::class, 11101, 404];
        yield 'method not allowed' => ['status:405', 'CLARIFAI_RESULT_METHOD_NOT_ALLOWED', Exception\MethodNotAllowedException::class, 11103, 405];
        yield 'other API failure' => ['status:500', 'CLARIFAI_RESULT_API_ERROR', Exception\ApiException::class, 10020, 500];
    }

    /**
     * @dataProvider apiFailures
     * @param class-string $class
     */
    public function testApiFailure(string $fault, string $result, string $class, int $code, int $http): void
    {
        self::emulator()->addFault("ListModelTypes=$fault");
        try {
            self::apiKeyClient()->call('ListModelTypes');
            $this->fail('the fault did not fire');
        } catch (Exception\ClarifaiException $e) {
            $this->assertSame($class, \get_class($e));
            $this->assertSame(self::documentedClass($result), $class);
            $this->assertInstanceOf(Exception\ApiException::class, $e);
            $this->assertSame($result, $e->getResult());
            $this->assertSame($code, $e->getStatusCode());
            $this->assertSame($http, $e->getHttpStatus());
            $this->assertNotSame('', $e->getDescription());
            $this->assertNotSame('', $e->getReqId());
            $this->assertSame('GET /v2/models/types', $e->getHeader('X-Clarifai-Emulator-Route'));
            $this->assertGreaterThan(0, $e->getCode());
            $this->assertNoSecret($e->getMessage());
            if ($e instanceof Exception\ThrottledException) {
                $this->assertSame(3, $e->getRetryAfter());
            }
        }
    }

    public function testMissingScopesNameEveryScopeAndTheEndpoint(): void
    {
        $key = self::patClient()->createKey(self::emulator()->appId(), ['Inputs:Get'], ['GetInput'], 'missing scopes test')['id'];
        try {
            self::apiKeyClient($key)->call('PostInputs', ['inputs' => [['data' => ['image' => ['url' => 'https://samples.clarifai.com/metro-north.jpg']]]]]);
            $this->fail('the key lacks Inputs:Add');
        } catch (Exception\MissingScopesException $e) {
            $this->assertContains('Inputs:Add', $e->getMissingScopes());
            $this->assertSame(['/clarifai.api.V2/PostInputs'], $e->getMissingEndpoints());
            $this->assertSame(11007, $e->getStatusCode());
            $this->assertStringContainsString('Inputs:Add', $e->getMessage() . $e->getDetails());
            $this->assertNoSecret($e->getMessage() . $e->getDetails(), $key);
        }
    }

    public function testTransportFailures(): void
    {
        $emulator = self::emulator();
        $failures = [
            'CLARIFAI_RESULT_CONNECT' => [fn () => new ClarifaiClient($emulator->apiKey(), ['baseUrl' => 'http://127.0.0.1:1', 'maxRetries' => 0]), null],
            'CLARIFAI_RESULT_IO' => [fn () => self::apiKeyClient(), 'ListModelTypes=drop'],
            'CLARIFAI_RESULT_BODY_TOO_LARGE' => [fn () => self::apiKeyClient(null, ['maxResponseBytes' => 1000]), 'ListModelTypes=oversize:100000'],
            'CLARIFAI_RESULT_REDIRECT_REFUSED' => [fn () => self::apiKeyClient(), 'ListModelTypes=redirect:' . $emulator->url() . '/v2/models/types'],
        ];
        foreach ($failures as $result => [$client, $fault]) {
            $emulator->clearFaults();
            if ($fault !== null) {
                $emulator->addFault($fault);
            }
            try {
                $client()->call('ListModelTypes');
                $this->fail("no $result");
            } catch (Exception\TransportException $e) {
                $this->assertSame($result, $e->getResult(), $e->getMessage());
                $this->assertNoSecret($e->getMessage());
            }
        }
    }

    public function testInsecureUrlIsAConfigurationError(): void
    {
        try {
            self::apiKeyClient(null, ['baseUrl' => 'http://example.com'])->call('ListInputs');
            $this->fail('plain http to a remote host');
        } catch (Exception\ConfigurationException $e) {
            $this->assertSame(Exception\ConfigurationException::class, \get_class($e));
            $this->assertSame('CLARIFAI_RESULT_INSECURE_URL', $e->getResult());
            $this->assertSame(0, $e->getHttpStatus());
        }
    }

    public function testIncompleteRotationKeepsBothKeys(): void
    {
        $pat = self::patClient();
        $old = $pat->createKey(self::emulator()->appId(), ['All'], null, 'rotation test')['id'];
        self::emulator()->addFault('DeleteKey=status:500,times=1');
        try {
            $pat->rotateKey($old);
            $this->fail('the old key could not be deleted');
        } catch (Exception\RotationIncompleteException $e) {
            $this->assertSame('CLARIFAI_RESULT_ROTATION_INCOMPLETE', $e->getResult());
            $this->assertStringContainsString(substr($old, -4), $e->getMessage());
            $this->assertNoSecret($e->getMessage(), $old);
        }
        $this->assertSame(10000, self::apiKeyClient($old)->call('ListInputs')['status']['code']);
    }

    public function testMessagesQuoteNoArgument(): void
    {
        $secret = "s3cret-\0-value";
        try {
            new ClarifaiClient($secret);
            $this->fail('a NUL byte in a key');
        } catch (Exception\InvalidArgumentException $e) {
            $this->assertStringNotContainsString('s3cret', $e->getMessage());
        }
    }
}
