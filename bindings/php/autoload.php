<?php

declare(strict_types=1);

// The package's class loader: require this file without Composer; Composer loads it too
// (composer.json "files"), for what its PSR-4 rules cannot find.
//
// - Clarifai\API\… (hand-written, src/) and Clarifai\Api\… (generated messages, generated/) are
//   found whatever case the code writes the namespace in: PHP class names ignore case, so the
//   docs' Clarifai\Api\UserAppIDSet is the same class as Clarifai\API\UserAppIDSet, but a prefix
//   match does not know that. Generated classes are looked up in generated/classmap.php by their
//   lower-case names.
// - The well-known types the messages use (Google\Protobuf\Struct, Timestamp, …) come from
//   generated/ only when nothing else provides them: registered after Composer's loader, this
//   leaves them to google/protobuf when that package is installed.
if (!\defined('Clarifai\API\AUTOLOADER')) {
    \define('Clarifai\API\AUTOLOADER', true);
    spl_autoload_register(static function (string $class): void {
        static $generated = null;
        $lower = strtolower(ltrim($class, '\\'));
        if (str_starts_with($lower, 'clarifai\\api\\')) {
            $file = __DIR__ . '/src/' . str_replace('\\', '/', substr(ltrim($class, '\\'), 13)) . '.php';
            if (is_file($file)) {
                require $file;
                return;
            }
        }
        if (str_starts_with($lower, 'clarifai\\') || str_starts_with($lower, 'google\\protobuf\\')) {
            $generated ??= require __DIR__ . '/generated/classmap.php';
            if (isset($generated[$lower])) {
                require __DIR__ . '/generated/' . $generated[$lower];
            }
        }
    });
}
