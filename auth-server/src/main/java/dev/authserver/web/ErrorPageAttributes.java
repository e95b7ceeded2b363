package dev.authserver.web;

import java.util.Map;

import dev.authserver.authorization.AuthorizationErrorResponseHandler;

import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * The error page's model: Spring Boot's status and path, a sentence a person can read, and, for authorization
 * requests we refused to redirect, the OAuth error code. Never an exception message or a stack trace.
 */
@Component
class ErrorPageAttributes extends DefaultErrorAttributes {

	@Override
	public Map<String, Object> getErrorAttributes(WebRequest webRequest, ErrorAttributeOptions options) {
		Map<String, Object> attributes = super.getErrorAttributes(webRequest, ErrorAttributeOptions.defaults());
		attributes.remove("trace");
		attributes.remove("exception");
		attributes.remove("message");
		attributes.remove("errors");
		Object error = webRequest.getAttribute(AuthorizationErrorResponseHandler.OAUTH2_ERROR_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST);
		if (error instanceof OAuth2Error oauth2Error) {
			attributes.put("error", oauth2Error.getErrorCode());
			if (oauth2Error.getDescription() != null) {
				attributes.put("error_description", oauth2Error.getDescription());
			}
		}
		Object status = attributes.get("status");
		attributes.put("explanation", explanation((status instanceof Integer code) ? code : 500, error != null));
		return attributes;
	}

	private static String explanation(int status, boolean authorizationRequest) {
		if (authorizationRequest) {
			return "The application that sent you here made a request we cannot accept, so we did not send you back "
					+ "to it. Go back to the application and try again; if this keeps happening, tell its developers.";
		}
		return switch (status) {
			case 400 -> "The request was not valid.";
			case 401, 403 -> "You are not allowed to see this page.";
			case 404 -> "There is nothing at this address.";
			case 405 -> "This page does not accept that kind of request.";
			default -> (status >= 500) ? "Something went wrong on our side. Please try again in a moment."
					: "The request could not be completed.";
		};
	}

}
