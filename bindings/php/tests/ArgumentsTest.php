<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Exception\UnknownEndpointException;
use Clarifai\API\UserAppIDSet;

/** Bad input is refused before any request, with InvalidArgumentException. */
final class ArgumentsTest extends TestCase
{
    /** @return iterable<string, array{\Closure(ClarifaiClient): mixed, string}> */
    public static function badArguments(): iterable
    {
        yield 'empty key' => [static fn () => new ClarifaiClient(''), 'empty'];
        yield 'key with a space' => [static fn () => new ClarifaiClient('abc def'), 'whitespace'];
        yield 'key with a NUL byte' => [static fn () => new ClarifaiClient("abc\0def"), 'NUL'];
        yield 'key not UTF-8' => [static fn () => new ClarifaiClient("abc\xff"), 'UTF-8'];
        yield 'PAT with a NUL byte' => [static fn () => ClarifaiClient::withPat("pat\0", 'me', 'app'), 'NUL'];
        yield 'empty app id' => [static fn () => ClarifaiClient::withPat('pat', 'me', ''), 'app'];
        yield 'endpoint with a NUL byte' => [static fn (ClarifaiClient $c) => $c->call("ListInputs\0"), 'NUL'];
        yield 'endpoint not UTF-8' => [static fn (ClarifaiClient $c) => $c->call("List\xc3Inputs"), 'UTF-8'];
        yield 'param not UTF-8' => [static fn (ClarifaiClient $c) => $c->call('ListInputs', ['x' => "\xff"]), 'UTF-8'];
        yield 'params as a list' => [static fn (ClarifaiClient $c) => $c->call('ListInputs', [1, 2]), 'list'];
        yield 'path with a NUL byte' => [static fn (ClarifaiClient $c) => $c->request('GET', "/v2/inputs\0/x"), 'NUL'];
        yield 'path without a slash' => [static fn (ClarifaiClient $c) => $c->request('GET', 'v2/inputs'), 'path'];
        yield 'unknown method' => [static fn (ClarifaiClient $c) => $c->request('BREW', '/v2/inputs'), 'method'];
        yield 'override key empty' => [static fn (ClarifaiClient $c) => $c->usingApiKey(''), 'empty'];
        yield 'override key with a NUL byte' => [static fn (ClarifaiClient $c) => $c->usingApiKey("k\0"), 'NUL'];
        yield 'unknown scope' => [
            static fn (ClarifaiClient $c) => $c->usingPat(Emulator::get()->pat(), 'me', Emulator::get()->appId())->createKey(Emulator::get()->appId(), ['Inputs:Frobnicate']),
            'Frobnicate',
        ];
        yield 'user id with a NUL byte' => [static fn () => UserAppIDSet::create("me\0", 'app'), 'NUL'];
        yield 'header name with a NUL byte' => [static fn (ClarifaiClient $c) => $c->callResponse('ListInputs')->getHeader("X\0"), 'NUL'];
    }

    /**
     * @dataProvider badArguments
     * @param \Closure(ClarifaiClient): mixed $act
     */
    public function testRefused(\Closure $act, string $named): void
    {
        $client = self::apiKeyClient();
        self::emulator()->clearRequests();
        try {
            $act($client);
            $this->fail('accepted');
        } catch (InvalidArgumentException $e) {
            $this->assertSame('CLARIFAI_RESULT_INVALID_ARGUMENT', $e->getResult());
            $this->assertStringContainsString($named, $e->getMessage());
            $this->assertSame(0, $e->getStatusCode());
            $this->assertNoSecret($e->getMessage());
        }
        $this->assertLessThanOrEqual(1, \count(self::emulator()->requests()), 'at most the header test\'s own call was sent');
    }

    public function testUnknownEndpointIsAnInvalidArgument(): void
    {
        try {
            self::apiKeyClient()->call('PostFrobnications');
            $this->fail('accepted');
        } catch (UnknownEndpointException $e) {
            $this->assertInstanceOf(InvalidArgumentException::class, $e);
            $this->assertSame('CLARIFAI_RESULT_UNKNOWN_ENDPOINT', $e->getResult());
        }
    }

    public function testNulBytesInsideParametersAreData(): void
    {
        // JSON escapes them, so they reach the API intact instead of cutting the string.
        $body = self::apiKeyClient()->call('ListInputs', ['per_page' => 1, 'note' => "a\0b"]);
        $this->assertSame(10000, $body['status']['code']);
    }
}
