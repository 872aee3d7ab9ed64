using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SoketiOrleans.Channels;
using SoketiOrleans.Gateway.Channels;
using SoketiOrleans.Gateway.Protocol;
using SoketiOrleans.Gateway.Sockets;
using SoketiOrleans.Protocol;
using SoketiOrleans.Users;

namespace SoketiOrleans.Gateway.Users;

/// <summary>
/// <c>pusher:signin</c> for every app (soketi only for apps with <c>enableUserAuthentication</c>):
/// the signature, then the user's server-to-user channel, then the user grain, which answers
/// <c>signin_success</c> through that channel so events sent to the user right after it arrive.
/// </summary>
public sealed class UserSignIns(LocalChannelIndex channels, LocalUsers users)
{
    internal async Task SignIn(PusherSocket socket, ClientMessage message)
    {
        if (!message.TryGetDataObject(out var data)
            || message.DataString("user_data") is not { } userDataJson
            || !SignInAuthorization.IsValid(socket.App, socket.Id, userDataJson, message.DataString("auth")))
        {
            Refuse(socket, SignInRefusal.NotAuthorized);
            return;
        }

        if (UserData.Parse(userDataJson, out var refusal) is not { } user)
        {
            Refuse(socket, refusal!);
            return;
        }

        var success = SigninSuccess(data);
        if (socket.UserId is { } signedIn)
        {
            if (signedIn == user.Id)
            {
                socket.Send(success);
            }
            else
            {
                Refuse(socket, SignInRefusal.AlreadySignedIn);
            }

            return;
        }

        var channel = ServerToUserChannel.For(user.Id);
        var (local, _) = await channels.Join(socket.App, channel, socket);
        socket.Subscriptions.Add(channel, new SocketSubscription(local, PresenceUserId: null));
        try
        {
            await users.SignIn(socket.App.Id, user.Id, socket.Id, user.Watchlist, success);
        }
        catch
        {
            socket.Subscriptions.Remove(channel);
            local.Leave(socket);
            throw;
        }

        socket.SignedIn(user.Id);
    }

    /// <summary>When the socket ends: the user grain forgets it (and, after its last, tells watchers it went offline).</summary>
    internal void SignOut(PusherSocket socket)
    {
        if (socket.UserId is { } userId)
        {
            users.SignOut(socket.App.Id, userId, socket.Id);
        }
    }

    internal static void Refuse(PusherSocket socket, SignInRefusal refusal)
    {
        socket.Send(PusherFrame.Error(refusal.Code, refusal.Message));
        if (refusal.Close)
        {
            socket.Close(refusal.Code, refusal.Message);
        }
    }

    /// <summary><c>pusher:signin_success</c> echoing the client's data object, as soketi does.</summary>
    private static byte[] SigninSuccess(JsonElement data) =>
        PusherFrame.Json(JsonMarshal.GetRawUtf8Value(data).ToArray(), static (w, raw) =>
        {
            w.WriteStartObject();
            w.WriteString("event"u8, PusherEvents.SigninSuccess);
            w.WritePropertyName("data"u8);
            w.WriteRawValue(raw, skipInputValidation: true);
            w.WriteEndObject();
        });
}
