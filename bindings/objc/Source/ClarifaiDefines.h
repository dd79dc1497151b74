/*
 * Compiler portability for the Clarifai Objective-C classes.
 *
 * The same headers are read by clang in ARC apps on Apple platforms and by gcc with GNUstep,
 * whose Objective-C front end knows neither nullability qualifiers, lightweight generics nor
 * blocks. Every modern annotation therefore goes through a feature check with an empty
 * fallback, so the annotations cost gcc nothing and still reach Swift and the clang analyzer.
 */

#ifndef CLARIFAI_DEFINES_H
#define CLARIFAI_DEFINES_H

#import <Foundation/Foundation.h>

#ifndef __has_feature
#  define __has_feature(x) 0
#endif

/* Only the underscored qualifiers are used: they are reserved identifiers, so defining them
 * away cannot collide with a variable an app happens to call `nullable`. */
#if !__has_feature(nullability)
#  ifndef _Nullable
#    define _Nullable
#  endif
#  ifndef _Nonnull
#    define _Nonnull
#  endif
#  ifndef _Null_unspecified
#    define _Null_unspecified
#  endif
#endif

#ifndef NS_ASSUME_NONNULL_BEGIN
#  if __has_feature(assume_nonnull)
#    define NS_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#    define NS_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")
#  else
#    define NS_ASSUME_NONNULL_BEGIN
#    define NS_ASSUME_NONNULL_END
#  endif
#endif

/* CLARIFAI_GENERIC(NSArray, NSString *) is NSArray<NSString *> where generics exist. */
#if __has_feature(objc_generics)
#  define CLARIFAI_GENERIC(cls, ...) cls<__VA_ARGS__>
#else
#  define CLARIFAI_GENERIC(cls, ...) cls
#endif

#ifndef NS_DESIGNATED_INITIALIZER
#  define NS_DESIGNATED_INITIALIZER
#endif

/* Marks -init unavailable where the compiler can enforce it. Elsewhere the declaration is left
 * out altogether: gcc would otherwise want an implementation. A plain -init there still gives an
 * object whose calls fail cleanly with ClarifaiErrorNullArgument. (gcc accepts the attribute on
 * methods but still wants an implementation.) */
#if defined(__clang__)
#  define CLARIFAI_INIT_UNAVAILABLE - (instancetype)init __attribute__((unavailable));
#else
#  define CLARIFAI_INIT_UNAVAILABLE
#endif

#ifndef NS_SWIFT_NAME
#  if defined(__has_attribute)
#    if __has_attribute(swift_name)
#      define NS_SWIFT_NAME(name) __attribute__((swift_name(#name)))
#    endif
#  endif
#  ifndef NS_SWIFT_NAME
#    define NS_SWIFT_NAME(name)
#  endif
#endif

#define CLARIFAI_EXPORT FOUNDATION_EXPORT

/* Blocks exist in clang (and in gcc only with a blocks runtime, which GNUstep's gcc builds
 * lack): the completion-block API is compiled only where the compiler can call it. */
#if defined(__BLOCKS__) && __BLOCKS__
#  define CLARIFAI_HAS_BLOCKS 1
#else
#  define CLARIFAI_HAS_BLOCKS 0
#endif

#endif /* CLARIFAI_DEFINES_H */
