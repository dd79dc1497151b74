<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\Api\ListInputsRequest;
use Clarifai\API\ClarifaiClient;
use Clarifai\ClarifaiClient as GrpcClient;

/**
 * pcntl_fork(): a child, and a grandchild, keep using a client their parent made while the
 * parent's runtime is busy with calls in flight at the moment of the fork. The library builds a
 * fresh runtime in each new process (src/runtime.rs); a child that inherited a busy one and
 * used it would hang, so every child runs under a deadline and a hang fails the test.
 */
final class ForkTest extends TestCase
{
    private static ?Emulator $server = null;

    public static function setUpBeforeClass(): void
    {
        self::$server = Emulator::spawn(Emulator::binary(), ['--fault', 'ListInputs=delay:300'], getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null');
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

    /**
     * End a fork child with `$code` without running anything the parent set up (PHPUnit's
     * shutdown functions, destructors): exec a shell that exits with it. Under Valgrind this
     * also skips the leak check of a child, which only sees its parent's allocations, as the C
     * suite does.
     */
    private static function leave(int $code): never
    {
        pcntl_exec('/bin/sh', ['-c', "exit $code"]);
        exit(99); // exec failed
    }

    /** Wait for `$pid` at most `$seconds`; kill it if it hangs. The exit status, or -1 for a hang. */
    private static function waitFor(int $pid, float $seconds): int
    {
        $deadline = microtime(true) + $seconds;
        while (microtime(true) < $deadline) {
            $done = pcntl_waitpid($pid, $status, WNOHANG);
            if ($done === $pid) {
                return pcntl_wifexited($status) ? pcntl_wexitstatus($status) : 100 + pcntl_wtermsig($status);
            }
            usleep(10_000);
        }
        posix_kill($pid, SIGKILL);
        pcntl_waitpid($pid, $status);
        return -1;
    }

    /** One blocking call in this process: 0 when it worked. */
    private static function callWorks(ClarifaiClient $client): int
    {
        try {
            $client->call('ListConcepts', []);
            return 0;
        } catch (\Throwable $e) {
            fwrite(STDERR, 'fork child: ' . get_class($e) . ': ' . $e->getMessage() . "\n");
            return 1;
        }
    }

    public function testChildrenAndGrandchildrenCallWhileTheParentsRuntimeIsBusy(): void
    {
        $this->assertTrue(\function_exists('pcntl_fork'), 'the pcntl extension (php-cli has it)');
        $key = self::server()->apiKey();
        $client = new ClarifaiClient($key, ['baseUrl' => self::server()->url(), 'maxRetries' => 0]);
        $this->assertSame(0, self::callWorks($client), 'the parent calls first');

        // Calls in flight on the runtime when the process forks: slow ones, started and not
        // collected (the docs' gRPC form starts each call at once).
        $grpc = GrpcClient::grpc(['baseUrl' => self::server()->url(), 'maxRetries' => 0]);
        $metadata = ['Authorization' => ['Key ' . $key]];
        $inFlight = [];
        for ($i = 0; $i < 8; $i++) {
            $inFlight[] = $grpc->ListInputs(new ListInputsRequest(), $metadata);
        }
        usleep(20_000);

        $statuses = [];
        for ($round = 0; $round < 3; $round++) {
            $pid = pcntl_fork();
            $this->assertNotSame(-1, $pid, 'fork');
            if ($pid === 0) {
                // The child: a call of its own, then a grandchild forked while the child's runtime
                // is busy with a slow call of its own, which calls too.
                $code = self::callWorks($client);
                if ($code === 0) {
                    $busy = $grpc->ListInputs(new ListInputsRequest(), $metadata);
                    usleep(10_000);
                    $grandchild = pcntl_fork();
                    if ($grandchild === 0) {
                        self::leave(self::callWorks($client) === 0 ? 0 : 12);
                    }
                    $code = $grandchild < 0 ? 13 : self::waitFor($grandchild, 20.0);
                    $code = $code === -1 ? 14 : $code;
                    if ($code === 0) {
                        [, $status] = $busy->wait();
                        $code = $status->code === 0 ? 0 : 15;
                    }
                }
                self::leave($code);
            }
            $statuses[] = self::waitFor($pid, 30.0);
        }
        // 0: fine; -1: the child hung; 1: its call failed; 12: the grandchild's failed;
        // 14: the grandchild hung; 15: the child's own slow call failed.
        $this->assertSame([0, 0, 0], $statuses, 'every child and grandchild worked');

        // The parent's calls in flight at the forks are unharmed.
        foreach ($inFlight as $call) {
            [, $status] = $call->wait();
            $this->assertSame(0, $status->code, (string) $status->details);
        }
        $this->assertSame(0, self::callWorks($client), 'the parent calls after');
    }
}
