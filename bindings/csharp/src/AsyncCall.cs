using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Clarifai.API
{
    /// <summary>
    /// Bridges clarifai_client_call_async and clarifai_client_call_many_async to Tasks. No thread
    /// waits for a call: the library runs one static callback exactly once per call, whose
    /// userdata is a GCHandle to the call's state; a cancellable call also gets a
    /// <c>clarifai_call</c> handle that the CancellationToken cancels.
    ///
    /// The call handle is freed only once both the start has returned it and the callback has
    /// run (whichever comes second frees it), so the callback never runs after the handle is
    /// freed and a cancellation never reaches a freed handle (the SafeHandle defers the free past
    /// a clarifai_call_cancel in progress).
    /// </summary>
    internal static class AsyncCall
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void Callback(IntPtr userdata, uint result, IntPtr response, IntPtr error);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void BatchCallback(IntPtr userdata, uint result, IntPtr batch, IntPtr error);

        // One delegate of each kind for every call, rooted here for the life of the process, so
        // the function pointers the library holds can never outlive them.
        private static readonly Callback OneDone = OnOne;
        private static readonly IntPtr OneDonePointer = Marshal.GetFunctionPointerForDelegate(OneDone);
        private static readonly BatchCallback ManyDone = OnMany;
        private static readonly IntPtr ManyDonePointer = Marshal.GetFunctionPointerForDelegate(ManyDone);

        private static long pending;
        private static long callbacks;

        /// <summary>Calls started whose callback has not run yet (for the leak tests).</summary>
        internal static long Pending
        {
            get { return Interlocked.Read(ref pending); }
        }

        /// <summary>Callbacks run so far (for the exactly-once tests).</summary>
        internal static long CallbacksRun
        {
            get { return Interlocked.Read(ref callbacks); }
        }

        private abstract class State
        {
            internal readonly CancellationToken Token;
            private CallHandle call;
            private CancellationTokenRegistration registration;
            private int stage;
            private int completions;

            protected State(CancellationToken token)
            {
                Token = token;
            }

            /// <summary>The start returned (with a call handle when cancellable).</summary>
            internal void Started(CallHandle handle)
            {
                call = handle;
                if (handle != null)
                    registration = Token.Register(s => ((State)s).Cancel(), this);
                Advance();
            }

            /// <summary>The callback ran: deliver, then free what both sides are done with.</summary>
            internal void Completed(uint result, IntPtr payload, IntPtr error)
            {
                if (Interlocked.Increment(ref completions) != 1)
                    Environment.FailFast("libclarifai ran a call's callback twice");
                Deliver(result, payload, error);
                Advance();
            }

            protected abstract void Deliver(uint result, IntPtr payload, IntPtr error);

            private void Advance()
            {
                if (Interlocked.Increment(ref stage) != 2)
                    return;
                // Waits for a cancellation running on another thread; then nothing else uses the
                // handle, and freeing it (from the callback itself, when that comes last) is allowed.
                registration.Dispose();
                if (call != null)
                    call.Dispose();
            }

            private void Cancel()
            {
                try
                {
                    Native.clarifai_call_cancel(call);
                }
                catch (ObjectDisposedException)
                {
                    // Done already.
                }
            }
        }

        private sealed class OneState : State
        {
            // Continuations must not run on the library's thread: one that blocked there would
            // hold it, and one that called back in synchronously could deadlock it.
            internal readonly TaskCompletionSource<ClarifaiResponse> Source =
                new TaskCompletionSource<ClarifaiResponse>(TaskCreationOptions.RunContinuationsAsynchronously);

            internal OneState(CancellationToken token) : base(token)
            {
            }

            protected override void Deliver(uint result, IntPtr response, IntPtr error)
            {
                // Owned by SafeHandles first, so they are freed whatever fails next.
                var responseHandle = response == IntPtr.Zero ? null : new ResponseHandle(response);
                var errorHandle = error == IntPtr.Zero ? null : new ErrorHandle(error);
                try
                {
                    if (result == 0)
                    {
                        if (errorHandle != null)
                            errorHandle.Dispose();
                        if (responseHandle == null)
                            throw new InvalidOperationException("the library reported success without a response");
                        Source.TrySetResult(new ClarifaiResponse(responseHandle));
                    }
                    else
                    {
                        if (responseHandle != null)
                            responseHandle.Dispose();
                        if (result == (uint)ClarifaiResult.Cancelled)
                        {
                            if (errorHandle != null)
                                errorHandle.Dispose();
                            Canceled(Source, Token);
                        }
                        else
                        {
                            Source.TrySetException(Errors.From(result, errorHandle, Token));
                        }
                    }
                }
                catch (Exception e)
                {
                    Source.TrySetException(e);
                }
            }
        }

        private sealed class ManyState : State
        {
            internal readonly TaskCompletionSource<IReadOnlyList<ClarifaiCallResult>> Source =
                new TaskCompletionSource<IReadOnlyList<ClarifaiCallResult>>(TaskCreationOptions.RunContinuationsAsynchronously);

            internal int Count;

            internal ManyState(CancellationToken token) : base(token)
            {
            }

            protected override void Deliver(uint result, IntPtr batch, IntPtr error)
            {
                var batchHandle = batch == IntPtr.Zero ? null : new BatchHandle(batch);
                var errorHandle = error == IntPtr.Zero ? null : new ErrorHandle(error);
                try
                {
                    if (result != 0)
                    {
                        if (batchHandle != null)
                            batchHandle.Dispose();
                        if (result == (uint)ClarifaiResult.Cancelled)
                        {
                            if (errorHandle != null)
                                errorHandle.Dispose();
                            Canceled(Source, Token);
                        }
                        else
                        {
                            Source.TrySetException(Errors.From(result, errorHandle, Token));
                        }
                        return;
                    }
                    if (errorHandle != null)
                        errorHandle.Dispose();
                    if (batchHandle == null)
                        throw new InvalidOperationException("the library reported success without a batch");
                    IReadOnlyList<ClarifaiCallResult> results = Batch.Read(batchHandle, Count, Token);
                    if (results == null)
                        Canceled(Source, Token);
                    else
                        Source.TrySetResult(results);
                }
                catch (Exception e)
                {
                    Source.TrySetException(e);
                }
            }
        }

        private static void Canceled<T>(TaskCompletionSource<T> source, CancellationToken token)
        {
            if (token.IsCancellationRequested)
                source.TrySetCanceled(token);
            else
                source.TrySetCanceled();
        }

        internal static Task<ClarifaiResponse> Start(ClientHandle client, byte[] endpoint, byte[] paramsJson, ClarifaiCallOptions settings, CancellationToken token)
        {
            if (token.IsCancellationRequested)
                return CanceledTask<ClarifaiResponse>(token);
            var state = new OneState(token);
            // The timeout only: a cancellable call is cancelled through its call handle.
            using (NativeCallOptions opts = NativeCallOptions.Create(settings, CancellationToken.None))
            {
                Begin(state, (IntPtr userdata, out CallHandle call, out ErrorHandle error) =>
                {
                    if (!token.CanBeCanceled)
                    {
                        call = null;
                        return Native.clarifai_client_call_async(client, endpoint, paramsJson, NativeCallOptions.HandleOf(opts), OneDonePointer, userdata, IntPtr.Zero, out error);
                    }
                    return Native.clarifai_client_call_async(client, endpoint, paramsJson, NativeCallOptions.HandleOf(opts), OneDonePointer, userdata, out call, out error);
                });
            }
            return state.Source.Task;
        }

        internal static Task<IReadOnlyList<ClarifaiCallResult>> StartMany(ClientHandle client, IEnumerable<ClarifaiCall> calls, ClarifaiCallOptions settings, CancellationToken token)
        {
            using (Batch.Calls c = Batch.Calls.Of(calls))
            {
                if (token.IsCancellationRequested)
                    return CanceledTask<IReadOnlyList<ClarifaiCallResult>>(token);
                if (c.Count == 0)
                    return Task.FromResult<IReadOnlyList<ClarifaiCallResult>>(new ClarifaiCallResult[0]);
                var state = new ManyState(token) { Count = c.Count };
                using (NativeCallOptions opts = NativeCallOptions.Create(settings, CancellationToken.None))
                {
                    Begin(state, (IntPtr userdata, out CallHandle call, out ErrorHandle error) =>
                    {
                        if (!token.CanBeCanceled)
                        {
                            call = null;
                            return Native.clarifai_client_call_many_async(client, c.Endpoints.Pointers, c.Params.Pointers, c.Endpoints.Count, NativeCallOptions.HandleOf(opts), ManyDonePointer, userdata, IntPtr.Zero, out error);
                        }
                        return Native.clarifai_client_call_many_async(client, c.Endpoints.Pointers, c.Params.Pointers, c.Endpoints.Count, NativeCallOptions.HandleOf(opts), ManyDonePointer, userdata, out call, out error);
                    });
                }
                return state.Source.Task;
            }
        }

        private delegate uint StartCall(IntPtr userdata, out CallHandle call, out ErrorHandle error);

        private static void Begin(State state, StartCall start)
        {
            GCHandle root = GCHandle.Alloc(state);
            Interlocked.Increment(ref pending);
            uint r;
            CallHandle call;
            ErrorHandle error;
            try
            {
                r = start(GCHandle.ToIntPtr(root), out call, out error);
            }
            catch
            {
                Interlocked.Decrement(ref pending);
                root.Free();
                throw;
            }
            if (r != 0)
            {
                // The callback never runs when the call could not start.
                Interlocked.Decrement(ref pending);
                root.Free();
                if (call != null)
                    call.Dispose();
                throw Errors.From(r, error, state.Token);
            }
            error.Dispose();
            state.Started(call);
        }

        private static Task<T> CanceledTask<T>(CancellationToken token)
        {
            var source = new TaskCompletionSource<T>();
            source.TrySetCanceled(token);
            return source.Task;
        }

        // Run on a thread of the library (its blocking pool, or a thread freeing a call). Nothing
        // may escape into the native frame.
        private static void OnOne(IntPtr userdata, uint result, IntPtr response, IntPtr error)
        {
            Complete(userdata, result, response, error);
        }

        private static void OnMany(IntPtr userdata, uint result, IntPtr batch, IntPtr error)
        {
            Complete(userdata, result, batch, error);
        }

        private static void Complete(IntPtr userdata, uint result, IntPtr payload, IntPtr error)
        {
            try
            {
                Interlocked.Increment(ref callbacks);
                GCHandle root = GCHandle.FromIntPtr(userdata);
                var state = (State)root.Target;
                root.Free();
                Interlocked.Decrement(ref pending);
                state.Completed(result, payload, error);
            }
            catch (Exception)
            {
                // Deliver catches its own failures into the task; what is left (a GCHandle that is
                // not ours) cannot be reported from a native thread.
            }
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_call_async(ClientHandle client, byte[] endpoint, byte[] paramsJson, CallOptionsHandle opts,
                IntPtr callback, IntPtr userdata, out CallHandle call, out ErrorHandle error);

            /// <summary>The same, without a call handle (out_call NULL): the call cannot be cancelled.</summary>
            [DllImport(Interop.Library, EntryPoint = "clarifai_client_call_async", CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_call_async(ClientHandle client, byte[] endpoint, byte[] paramsJson, CallOptionsHandle opts,
                IntPtr callback, IntPtr userdata, IntPtr noCall, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_call_many_async(ClientHandle client, IntPtr[] endpoints, IntPtr[] paramsJson, UIntPtr count,
                CallOptionsHandle opts, IntPtr callback, IntPtr userdata, out CallHandle call, out ErrorHandle error);

            [DllImport(Interop.Library, EntryPoint = "clarifai_client_call_many_async", CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_call_many_async(ClientHandle client, IntPtr[] endpoints, IntPtr[] paramsJson, UIntPtr count,
                CallOptionsHandle opts, IntPtr callback, IntPtr userdata, IntPtr noCall, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_call_cancel(CallHandle call);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_call_free(IntPtr call);
        }
    }
}
