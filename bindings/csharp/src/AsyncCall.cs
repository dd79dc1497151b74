using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace Clarifai.API
{
    /// <summary>
    /// Bridges clarifai_client_call_async to a Task. No thread waits for a call: the library's
    /// worker invokes one static callback, whose userdata is a GCHandle to the call's
    /// TaskCompletionSource.
    /// </summary>
    internal static class AsyncCall
    {
        // One delegate for every call, rooted here for the life of the process, so the function
        // pointer the library holds can never outlive it.
        private static readonly Native.Callback Callback = OnComplete;
        private static readonly IntPtr CallbackPointer = Marshal.GetFunctionPointerForDelegate(Callback);

        internal static Task<ClarifaiResponse> Start(ClientHandle client, byte[] endpoint, byte[] paramsJson)
        {
            // Continuations must not run on the library's worker thread: one that blocked there
            // would hold a worker, and one that called back in synchronously could deadlock it.
            var tcs = new TaskCompletionSource<ClarifaiResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            GCHandle state = GCHandle.Alloc(tcs);
            uint r;
            ErrorHandle error;
            try
            {
                r = Native.clarifai_client_call_async(client, endpoint, paramsJson, CallbackPointer, GCHandle.ToIntPtr(state), out error);
            }
            catch
            {
                state.Free();
                throw;
            }
            if (r != 0)
            {
                // The callback never runs when the call could not start.
                state.Free();
                throw Errors.From(r, error);
            }
            error.Dispose();
            return tcs.Task;
        }

        // Runs on a library worker thread. Nothing may escape into the native frame, so every
        // failure ends up in the task, and the native response or error is always owned (and so
        // freed) by a SafeHandle before anything else can fail.
        private static void OnComplete(IntPtr userdata, uint result, IntPtr response, IntPtr error)
        {
            ResponseHandle responseHandle = null;
            ErrorHandle errorHandle = null;
            TaskCompletionSource<ClarifaiResponse> tcs = null;
            try
            {
                responseHandle = response == IntPtr.Zero ? null : new ResponseHandle(response);
                errorHandle = error == IntPtr.Zero ? null : new ErrorHandle(error);
                GCHandle state = GCHandle.FromIntPtr(userdata);
                tcs = (TaskCompletionSource<ClarifaiResponse>)state.Target;
                state.Free();

                if (result == 0)
                {
                    if (errorHandle != null)
                        errorHandle.Dispose();
                    if (responseHandle == null)
                        throw new InvalidOperationException("the library reported success without a response");
                    tcs.TrySetResult(new ClarifaiResponse(responseHandle));
                }
                else
                {
                    if (responseHandle != null)
                        responseHandle.Dispose();
                    tcs.TrySetException(Errors.From(result, errorHandle));
                }
            }
            catch (Exception e)
            {
                try
                {
                    if (tcs != null)
                        tcs.TrySetException(e);
                }
                catch (Exception)
                {
                    // Nothing more can be done from a native thread; the handles' finalizers
                    // still free what the library handed over.
                }
            }
        }
    }
}
