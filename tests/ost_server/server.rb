# frozen_string_literal: true
#
# A local stand-in for the OST KYC API v2 (seed shared/seeds/000_87a098faffe7ca24.txt), for kyc-wasm's client
# tests. It verifies requests the way a Rails app on the OST server does:
#
# - Rack parses the query string (GET) or the form body (POST) into nested params, as ActionDispatch does
#   (plus Rails' "deep munge": nils are dropped from arrays);
# - ActiveSupport's Hash#to_query recomputes the canonical string, on a CGI.escape patched to Ruby 2.4's
#   behaviour (only A-Z a-z 0-9 - . _ bare, space as "+", everything else %XX; Ruby >= 2.5 leaves "~" bare);
# - string_to_sign = request path + "?" + (params without "signature").to_query, HMAC-SHA256 hex with the API
#   secret, compared in constant time; api_key must match and request_timestamp be within ±10 s of the clock.
#
# It serves the seed's example objects (users, user-kyc, user-kyc-detail, pre-signed URLs), multi-page lists
# with meta.next_page_payload, 404 and success:false error bodies in the shape of the API's error reference
# (https://github.com/ostdotcom/website-docupony, slate-ost-api-references/source/includes/_errors.md).
#
#   ruby tests/ost_server/server.rb [--port N] [--api-key KEY] [--api-secret SECRET]
#
# Listens on 127.0.0.1 (port 0, the default, picks a free one) and prints "OST_SERVER_READY port=<n>" once
# it accepts connections. It stops on SIGTERM/SIGINT or when its stdin closes (so it never outlives the test).
#
# Test controls (JSON in, JSON out; never under /api):
#   POST /__control/reset                  forget requests and injections, restore the seed data and config
#   GET  /__control/requests               every /api request received: method, path, params, string_to_sign,
#                                          verified, status, injected
#   GET  /__control/emails                 every e-mail the /email/{approve,deny,report-issue} endpoints accepted
#   POST /__control/config   {window, detail_shared, required_kyc_fields}
#   POST /__control/inject   {path, method?, times?, status?, delay_ms?, body?, json?}
#        the next `times` (default 1) matching requests wait `delay_ms`, then, when `status` is given, answer
#        it with `body` (raw text) or `json` instead of the real answer: a failing first attempt, a slow
#        endpoint, an HTML 502 from a proxy, a success:false body with a 200 status...

require "cgi"
require "json"
require "openssl"
require "optparse"
require "securerandom"
require "active_support"
require "active_support/core_ext/object/to_query"
require "rack"
require "rack/handler/webrick"
require "webrick"

# Ruby 2.4's CGI.escape. A singleton method on CGI wins over the CGI::Util/CGI::Escape module methods that
# ActiveSupport's Object#to_query calls through CGI.escape.
def CGI.escape(string)
  bytes = string.to_s.b
  out = +""
  bytes.each_byte do |b|
    out << if (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b == 0x2d || b == 0x2e || b == 0x5f
             b.chr
           elsif b == 0x20
             "+"
           else
             format("%%%02X", b)
           end
  end
  out.force_encoding(Encoding::UTF_8)
end

module OstServer
  SEED_REQUIRED_KYC_FIELDS = %w[
    first_name last_name birthdate country nationality document_id_number document_id_file_path
    selfie_file_path ethereum_address estimated_participation_amount street_address city state postal_code
  ].freeze
  KYC_FIELDS = (SEED_REQUIRED_KYC_FIELDS + %w[residence_proof_file_path investor_proof_files_path]).freeze
  UPLOAD_TYPES = %w[image/jpeg image/png image/jpg application/pdf].freeze
  ADMIN_STATUSES = %w[unprocessed qualified denied].freeze
  AML_STATUSES = %w[cleared:approved unprocessed pending cleared approved rejected failed].freeze
  WHITELIST_STATUSES = %w[unprocessed started done failed].freeze
  ADMIN_ACTION_TYPES = %w[no_admin_action data_mismatch document_issue other_issue].freeze

  # The API's documented error bodies (status, code, message).
  ERRORS = {
    400 => ["BAD_REQUEST", "At least one parameter is invalid or missing. See \"err.error_data\" array for more details."],
    401 => ["UNAUTHORIZED", "We could not authenticate the request. Please review your credentials and authentication method."],
    404 => ["NOT_FOUND", "The requested resource could not be located."],
    422 => ["UNPROCESSABLE_ENTITY", "The request was good, but nevertheless could not be processed."],
  }.freeze

  # The e-mail endpoints (not in the seed; in the official SDKs and OST's server): what each needs of the
  # user's KYC, and the server's error identifier, message and internal id when it is not so.
  EMAILS = {
    "approve" => [->(k) { k["kyc_status"] == "approved" }, "Could not process. KYC is not approved for user", "um_se_a_favukd_1"],
    "deny" => [->(k) { k["kyc_status"] == "denied" }, "Could not process. KYC is not denied for user", "um_se_d_favukd_1"],
    "report-issue" => [->(k) { !k["admin_action_types"].empty? }, "Could not process. Issue is not reported for user", "um_se_ri_favukd_1"],
  }.freeze

  class ApiError < StandardError
    attr_reader :status, :internal_id, :error_data

    def initialize(status, internal_id, error_data = [])
      super(ERRORS.fetch(status)[1])
      @status = status
      @internal_id = internal_id
      @error_data = error_data
    end

    attr_writer :msg

    def body
      code, msg = ERRORS.fetch(status)
      err = { "code" => code, "msg" => @msg || msg, "internal_id" => internal_id }
      err["error_data"] = error_data unless error_data.empty?
      { "success" => false, "err" => err }
    end
  end

  def self.bad_request(internal_id, parameter, msg)
    ApiError.new(400, internal_id, [{ "parameter" => parameter, "msg" => msg }])
  end

  # The seed's example objects, plus generated ones so that the lists have the documented totals (39 users,
  # 13 user-kyc entries) and therefore several pages.
  class Store
    attr_reader :users, :users_kyc, :details

    def initialize
      @users = [
        [11442, "kycuser10@ost.com", [], 1539339413],
        [11430, "kycuser9@ost.com", ["kyc_submitted"], 1539169109],
        [11429, "kycuser8@ost.com", [], 1539169086],
        [11428, "kycuser7@ost.com", [], 1539163614],
        [11427, "kycuser6@ost.com", ["kyc_submitted"], 1539154855],
        [11426, "kycuser5@ost.com", ["kyc_submitted"], 1539092212],
        [11420, "kycuser4@ost.com", ["kyc_submitted"], 1538992711],
        [11417, "kycuser3@ost.com", ["kyc_submitted"], 1538979927],
        [11414, "kycuser2@ost.com", [], 1538747355],
        [11413, "kycuser1@ost.com", [], 1538747119],
      ].map { |id, email, properties, created_at| user(id, email, properties, created_at) }
      29.times do |i|
        properties = i.even? ? %w[doptin_mail_sent] : %w[doptin_mail_sent doptin_done]
        properties << "kyc_submitted" if (i % 3).zero?
        @users << user(11300 + i, "kycuser#{11 + i}@ost.com", properties, 1538000000 - i * 3600)
      end
      @users_kyc = [
        [298, 688, 11434, "pending", "unprocessed", "cleared", "unprocessed", 25, "Admin Name", 1539178516],
        [297, 663, 11333, "pending", "unprocessed", "cleared", "unprocessed", 2, "", 1539171237],
        [294, 656, 11425, "pending", "unprocessed", "cleared", "unprocessed", 16, "", 1539093563],
        [281, 601, 11401, "approved", "qualified", "cleared", "failed", 1, "Admin Name", 1538642905],
        [279, 598, 11399, "pending", "unprocessed", "cleared", "unprocessed", 1, "Admin Name", 1538577254],
        [238, 509, 11341, "approved", "qualified", "cleared", "done", 1, "Admin Name", 1537282934],
        [232, 502, 11332, "approved", "qualified", "cleared", "done", 2, "", 1536909857],
        [229, 497, 11329, "approved", "qualified", "cleared", "done", 1, "Admin Name", 1536755792],
        [228, 496, 11327, "approved", "qualified", "cleared", "failed", 1, "Admin Name", 1536755131],
        [225, 493, 11322, "approved", "qualified", "cleared", "failed", 3, "Admin Name", 1536739936],
        # "Retrieve KYC Status" and "Add or Update User KYC Details" examples.
        [304, 702, 11430, "pending", "unprocessed", "cleared", "unprocessed", 2, "Admin Name", 1539279352],
        [290, 727, 11420, "pending", "unprocessed", "unprocessed", "unprocessed", 7, "Admin Name", 1538995369],
        [220, 480, 11310, "denied", "denied", "rejected", "unprocessed", 1, nil, 1536000000],
      ].map do |id, detail_id, user_id, kyc, admin, aml, whitelist, count, acted, created_at|
        {
          "id" => id, "user_kyc_detail_id" => detail_id, "user_id" => user_id, "kyc_status" => kyc,
          "admin_status" => admin, "aml_status" => aml, "whitelist_status" => whitelist,
          "admin_action_types" => id == 220 ? %w[data_mismatch] : [], "submission_count" => count,
          "last_acted_by" => acted, "created_at" => created_at
        }
      end
      @details = {
        11420 => {
          "id" => 727, "created_at" => 1539622156, "first_name" => "yogesh", "last_name" => "sawant",
          "birthdate" => "23/07/1991", "country" => "INDIA", "nationality" => "INDIAN",
          "document_id_number" => "Ab0bd1234",
          "document_id_file" => "https://s3.amazonaws.com/kyc.stagingost.com/3/i/anm15395b85581eab3068cb43ftc0rt1_ROTATE_0?X-Amz-Algorithm=AWS4-HMAC-SHA256..",
          "selfie_file" => "https://s3.amazonaws.com/kyc.stagingost.com/3/i/b3vvte895rt5581eab3068cb43ftc0vg1_ROTATE_0?X-Amz-Algorithm=AWS4-HMAC-SHA256..",
          "residence_proof_file" => "https://s3.amazonaws.com/kyc.stagingost.com/3/i/bty153op985581eab3068cb43ftcqw21_ROTATE_0?X-Amz..",
          "investor_proof_files" => [
            "https://s3.amazonaws.com/kyc.stagingost.com/3/i/a3991395b852serab3068cb43ftc0f61_ROTATE_0?X-Amz..",
            "https://s3.amazonaws.com/kyc.stagingost.com/3/i/a5565395b85581eiop3068cb43ftc0f61_ROTATE_0?X-Amz..",
          ],
          "ethereum_address" => "0xEC305b4c269dEd899b6fBA12776fbbDBdC564793",
          "estimated_participation_amount" => 1.1, "street_address" => "Hadapsar", "city" => "pune",
          "state" => "Maharashtra", "postal_code" => "411028"
        },
      }
      @next_user_id = 20000
      @next_kyc_id = 1000
    end

    def user(id, email, properties, created_at)
      { "id" => id, "email" => email, "properties" => properties, "created_at" => created_at }
    end

    def find_user(id)
      @users.find { |u| u["id"] == id }
    end

    def create_user(email)
      raise OstServer.bad_request("um_cu_1", "email", "Email is already registered") if @users.any? { |u| u["email"] == email }

      u = user(@next_user_id += 1, email, [], Time.now.to_i)
      @users << u
      u
    end

    def submit_kyc(user_id, params)
      u = find_user(user_id)
      u["properties"] |= ["kyc_submitted"]
      previous = @users_kyc.find { |k| k["user_id"] == user_id }
      @next_kyc_id += 1
      kyc = {
        "id" => previous ? previous["id"] : @next_kyc_id, "user_kyc_detail_id" => @next_kyc_id + 5000,
        "user_id" => user_id, "kyc_status" => "pending", "admin_status" => "unprocessed",
        "aml_status" => "unprocessed", "whitelist_status" => "unprocessed", "admin_action_types" => [],
        "submission_count" => previous ? previous["submission_count"] + 1 : 1, "last_acted_by" => nil,
        "created_at" => Time.now.to_i
      }
      @users_kyc.delete(previous)
      @users_kyc << kyc
      detail = { "id" => kyc["user_kyc_detail_id"], "created_at" => kyc["created_at"] }
      params.each do |key, value|
        case key
        when "document_id_file_path", "selfie_file_path", "residence_proof_file_path"
          detail[key.sub("_path", "")] = "https://s3.amazonaws.com/kyc.local/#{value}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        when "investor_proof_files_path"
          detail["investor_proof_files"] = value.map { |v| "https://s3.amazonaws.com/kyc.local/#{v}?X-Amz-Algorithm=AWS4-HMAC-SHA256" }
        when "estimated_participation_amount"
          detail[key] = Float(value)
        else
          detail[key] = value
        end
      end
      @details[user_id] = detail
      kyc
    end
  end

  class App
    def initialize(api_key:, api_secret:)
      @api_key = api_key
      @api_secret = api_secret
      @lock = Mutex.new
      reset
    end

    def reset
      @lock.synchronize do
        @store = Store.new
        @requests = []
        @sent_emails = []
        @injections = []
        @window = 10
        @detail_shared = true
        @required_kyc_fields = SEED_REQUIRED_KYC_FIELDS
      end
    end

    def call(env)
      req = Rack::Request.new(env)
      return control(req) if req.path_info.start_with?("/__control/")

      api(req)
    rescue StandardError => e
      json(500, { "success" => false, "err" => { "code" => "INTERNAL", "msg" => "#{e.class}: #{e.message}", "internal_id" => "srv_500" } })
    end

    private

    def json(status, body)
      [status, { "content-type" => "application/json" }, [JSON.generate(body)]]
    end

    def read_json(req)
      text = req.body.read
      text.empty? ? {} : JSON.parse(text)
    end

    def control(req)
      case [req.request_method, req.path_info]
      when ["POST", "/__control/reset"]
        reset
        json(200, { "ok" => true })
      when ["GET", "/__control/requests"]
        json(200, @lock.synchronize { @requests.map(&:dup) })
      when ["GET", "/__control/emails"]
        json(200, @lock.synchronize { @sent_emails.map(&:dup) })
      when ["POST", "/__control/config"]
        config = read_json(req)
        @lock.synchronize do
          @window = Integer(config["window"]) if config.key?("window")
          @detail_shared = config["detail_shared"] if config.key?("detail_shared")
          @required_kyc_fields = config["required_kyc_fields"] if config.key?("required_kyc_fields")
        end
        json(200, { "ok" => true })
      when ["POST", "/__control/inject"]
        injection = read_json(req)
        injection["times"] ||= 1
        @lock.synchronize { @injections << injection }
        json(200, { "ok" => true })
      else
        json(404, { "ok" => false })
      end
    end

    # Rails' deep munge (ActionDispatch::Request::Utils, NoNilParamEncoder): nils are dropped from arrays.
    def deep_munge(value)
      case value
      when Hash then value.transform_values { |v| deep_munge(v) }
      when Array then value.compact.map { |v| deep_munge(v) }
      else value
      end
    end

    def parse_params(req)
      params = Rack::Utils.parse_nested_query(req.query_string)
      if req.post?
        type = req.media_type.to_s
        unless type == "application/x-www-form-urlencoded"
          raise OstServer.bad_request("p_ct_1", "content-type", "expected application/x-www-form-urlencoded, got #{type.inspect}")
        end

        params = params.merge(Rack::Utils.parse_nested_query(req.body.read))
      end
      deep_munge(params)
    end

    def take_injection(method, path)
      @lock.synchronize do
        found = @injections.find do |i|
          i["times"].positive? && i["path"] == path && (i["method"].nil? || i["method"].casecmp?(method))
        end
        found && found["times"] -= 1
        found&.dup
      end
    end

    def authenticate(path, params)
      signature = params["signature"]
      raise ApiError.new(401, "a_sig_1") unless signature.is_a?(String) && !signature.empty?
      raise ApiError.new(401, "a_key_1") unless params["api_key"] == @api_key

      timestamp = params["request_timestamp"]
      raise ApiError.new(401, "a_ts_1") unless timestamp.is_a?(String) && timestamp.match?(/\A\d+\z/)
      raise ApiError.new(401, "a_ts_2") if (Time.now.to_i - timestamp.to_i).abs > @window

      unsigned = params.reject { |k, _| k == "signature" }
      string_to_sign = "#{path}?#{unsigned.to_query}"
      expected = OpenSSL::HMAC.hexdigest("SHA256", @api_secret, string_to_sign)
      [string_to_sign, Rack::Utils.secure_compare(expected, signature)]
    end

    def api(req)
      method = req.request_method
      path = req.path_info
      record = { "method" => method, "path" => path, "at" => Time.now.to_f }
      @lock.synchronize { @requests << record }
      begin
        params = parse_params(req)
        record["params"] = params
      rescue ApiError => e
        record["status"] = e.status
        return json(e.status, e.body)
      rescue StandardError => e
        record["status"] = 400
        return json(400, OstServer.bad_request("p_1", "query", "unparsable parameters: #{e.class}").body)
      end

      injection = take_injection(method, path)
      if injection
        record["injected"] = injection
        sleep(injection["delay_ms"] / 1000.0) if injection["delay_ms"]
        if injection["status"]
          record["status"] = injection["status"]
          if injection.key?("json")
            return [injection["status"], { "content-type" => "application/json" }, [JSON.generate(injection["json"])]]
          end

          return [injection["status"], { "content-type" => "text/html" }, [injection["body"] || "<html><body>injected failure</body></html>"]]
        end
      end

      status, body = begin
        string_to_sign, verified = authenticate(path, params)
        record["string_to_sign"] = string_to_sign
        record["verified"] = verified
        raise ApiError.new(401, "a_sig_2") unless verified

        route(method, path, params.reject { |k, _| %w[api_key request_timestamp signature].include?(k) })
      rescue ApiError => e
        [e.status, e.body]
      end
      record["status"] = status
      json(status, body)
    end

    def ok(result_type, payload)
      [200, { "success" => true, "data" => { "result_type" => result_type }.merge(payload) }]
    end

    def route(method, path, params)
      id = path[%r{/(\d+)\z}, 1]&.then { |digits| Integer(digits, 10) }
      email = %r{\A/api/v2/users-kyc/(\d+)/email/(approve|deny|report-issue)\z}.match(path)
      return @lock.synchronize { send_email(Integer(email[1], 10), email[2], params) } if email && method == "POST"

      @lock.synchronize do
        case [method, path.sub(%r{/\d+\z}, "/:id")]
        when ["POST", "/api/v2/users"] then create_user(params)
        when ["GET", "/api/v2/users"] then list(params, :users)
        when ["GET", "/api/v2/users/:id"] then get_user(id)
        when ["GET", "/api/v2/users-kyc/pre-signed-urls/for-put"] then presigned(params, "file_upload_put")
        when ["GET", "/api/v2/users-kyc/pre-signed-urls/for-post"] then presigned(params, "file_upload_post")
        when ["POST", "/api/v2/users-kyc/:id"] then submit_kyc(id, params)
        when ["GET", "/api/v2/users-kyc/:id"] then get_user_kyc(id)
        when ["GET", "/api/v2/users-kyc"] then list(params, :users_kyc)
        when ["GET", "/api/v2/users-kyc-detail/:id"] then get_detail(id)
        when ["GET", "/api/v2/ethereum-address-validation"] then validate_address(params)
        else raise ApiError.new(404, "r_nf_1")
        end
      end
    end

    def create_user(params)
      email = params["email"]
      unless email.is_a?(String) && email.match?(/\A[^@\s]+@[^@\s]+\z/)
        raise OstServer.bad_request("um_cu_2", "email", "Please enter a valid email address")
      end

      ok("user", "user" => @store.create_user(email))
    end

    def get_user(id)
      user = @store.find_user(id) or raise ApiError.new(404, "um_u_g_favu_2")
      ok("user", "user" => user)
    end

    def integer_param(params, key, min, max)
      value = params[key]
      return nil if value.nil?
      unless value.is_a?(String) && value.match?(/\A\d+\z/) && Integer(value, 10).between?(min, max)
        raise OstServer.bad_request("l_p_1", key, "must be an integer from #{min} to #{max}")
      end

      Integer(value, 10)
    end

    def boolean_filter(value, key)
      raise OstServer.bad_request("l_f_1", "filters[#{key}]", "must be true or false") unless %w[true false].include?(value)

      value == "true"
    end

    def filter_users(filters)
      @store.users.select do |u|
        filters.all? do |key, value|
          case key
          when "email" then u["email"].include?(value.to_s)
          when "is_kyc_submitted" then u["properties"].include?("kyc_submitted") == boolean_filter(value, key)
          when "is_doptin_done" then u["properties"].include?("doptin_done") == boolean_filter(value, key)
          when "is_doptin_mail_sent" then u["properties"].include?("doptin_mail_sent") == boolean_filter(value, key)
          else raise OstServer.bad_request("l_f_2", "filters[#{key}]", "unknown filter")
          end
        end
      end
    end

    def one_of(value, allowed, key)
      raise OstServer.bad_request("l_f_3", "filters[#{key}]", "must be one of #{allowed.join(', ')}") unless allowed.include?(value)

      value
    end

    def filter_users_kyc(filters)
      @store.users_kyc.select do |k|
        filters.all? do |key, value|
          case key
          when "admin_status" then k["admin_status"] == one_of(value, ADMIN_STATUSES, key)
          when "aml_status"
            wanted = one_of(value, AML_STATUSES, key).split(":")
            wanted.include?(k["aml_status"])
          when "whitelist_status" then k["whitelist_status"] == one_of(value, WHITELIST_STATUSES, key)
          when "admin_action_types"
            one_of(value, ADMIN_ACTION_TYPES, key)
            value == "no_admin_action" ? k["admin_action_types"].empty? : k["admin_action_types"].include?(value)
          else raise OstServer.bad_request("l_f_2", "filters[#{key}]", "unknown filter")
          end
        end
      end
    end

    def list(params, kind)
      page = integer_param(params, "page_number", 1, 1_000_000) || 1
      limit = integer_param(params, "limit", 1, 100) || 10
      order = params["order"] || "desc"
      raise OstServer.bad_request("l_o_1", "order", "must be asc or desc") unless %w[asc desc].include?(order)

      filters = params["filters"] || {}
      raise OstServer.bad_request("l_f_0", "filters", "must be an object") unless filters.is_a?(Hash)

      unknown = params.keys - %w[page_number limit order filters]
      raise OstServer.bad_request("l_u_1", unknown.first, "unknown parameter") unless unknown.empty?

      all = kind == :users ? filter_users(filters) : filter_users_kyc(filters)
      all = all.sort_by { |o| [o["created_at"], o["id"]] }
      all.reverse! if order == "desc"
      items = all.slice((page - 1) * limit, limit) || []
      last = page * limit >= all.length
      payload = last ? {} : { "page_number" => page + 1, "filters" => filters, "order" => order, "limit" => limit }
      ok(kind.to_s, kind.to_s => items, "meta" => { "total" => all.length, "next_page_payload" => payload })
    end

    def submit_kyc(user_id, params)
      raise ApiError.new(404, "uk_s_1") unless @store.find_user(user_id)

      problems = []
      @required_kyc_fields.each do |field|
        value = params[field]
        problems << { "parameter" => field, "msg" => "#{field} is required" } if value.nil? || (value.respond_to?(:empty?) && value.empty?)
      end
      (params.keys - KYC_FIELDS).each { |field| problems << { "parameter" => field, "msg" => "unknown field" } }
      if params.key?("birthdate") && !params["birthdate"].to_s.match?(%r{\A\d\d/\d\d/\d{4}\z})
        problems << { "parameter" => "birthdate", "msg" => "birthdate must be dd/mm/yyyy" }
      end
      if params.key?("investor_proof_files_path") && !params["investor_proof_files_path"].is_a?(Array)
        problems << { "parameter" => "investor_proof_files_path", "msg" => "must be an array" }
      end
      if params.key?("estimated_participation_amount") && !(Float(params["estimated_participation_amount"], exception: false)&.positive?)
        problems << { "parameter" => "estimated_participation_amount", "msg" => "must be a positive number" }
      end
      raise ApiError.new(400, "uk_s_2", problems) unless problems.empty?

      ok("user_kyc", "user_kyc" => @store.submit_kyc(user_id, params))
    end

    def get_user_kyc(user_id)
      kyc = @store.users_kyc.find { |k| k["user_id"] == user_id } or raise ApiError.new(404, "uk_g_1")
      ok("user_kyc", "user_kyc" => kyc)
    end

    # POST /api/v2/users-kyc/{user_id}/email/{approve,deny,report-issue}: template_vars is an optional hash whose
    # values are scalars, or hashes or arrays of scalars; the user must exist and the KYC be in the matching
    # state, else HTTP 422 UNPROCESSABLE_ENTITY.
    def send_email(user_id, kind, params)
      raise ApiError.new(404, "um_se_b_favu_1") unless @store.find_user(user_id)

      vars = params.fetch("template_vars", {})
      scalar = ->(v) { !v.is_a?(Hash) && !v.is_a?(Array) }
      valid = vars.is_a?(Hash) && vars.values.all? { |v| scalar.(v) || (v.is_a?(Hash) ? v.values : v).all?(&scalar) }
      raise OstServer.bad_request("um_se_b_vasp_1", "template_vars", "Invalid template vars") unless valid
      unknown = params.keys - ["template_vars"]
      raise OstServer.bad_request("um_se_b_vasp_2", unknown.first, "Unknown parameter") unless unknown.empty?

      ready, msg, internal_id = EMAILS.fetch(kind)
      kyc = @store.users_kyc.find { |k| k["user_id"] == user_id }
      unless kyc && ready.(kyc)
        error = ApiError.new(422, internal_id)
        error.msg = msg
        raise error
      end

      @sent_emails << { "user_id" => user_id, "kind" => kind, "template_vars" => vars }
      [200, { "success" => true, "data" => {} }]
    end

    def get_detail(user_id)
      detail = @store.details[user_id] or raise ApiError.new(404, "ukd_g_1")
      return ok("user_kyc_detail", "user_kyc_detail" => detail) if @detail_shared

      # "If the setting in admin management dashboard if OFF": the seed's key is data.user_kyc.
      ok("user_kyc_detail", "user_kyc" => detail.slice("id", "created_at"))
    end

    def validate_address(params)
      address = params["ethereum_address"]
      unless address.is_a?(String) && address.match?(/\A0x[0-9a-fA-F]{40}\z/)
        raise OstServer.bad_request("ea_v_1", "ethereum_address", "Invalid ethereum address")
      end

      [200, { "success" => true }]
    end

    def presigned(params, result_type)
      files = params["files"]
      unless files.is_a?(Hash) && !files.empty?
        raise OstServer.bad_request("ps_1", "files", "files must be an object of file keys and content types")
      end

      files.each do |key, type|
        raise OstServer.bad_request("ps_2", "files[#{key}]", "unsupported content type") unless UPLOAD_TYPES.include?(type)
      end
      targets = files.to_h do |key, _type|
        object_key = "3/#{key.start_with?('investor') || key.start_with?('residence') ? 'd' : 'i'}/#{SecureRandom.hex(16)}"
        target = if result_type == "file_upload_put"
                   { "url" => "https://s3.amazonaws.com/kyc.local/#{object_key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900",
                     "fields" => { "key" => object_key } }
                 else
                   { "url" => "https://s3.amazonaws.com/kyc.local",
                     "fields" => {
                       "key" => object_key, "x-amz-server-side-encryption" => "aws:kms",
                       "policy" => "eyJjb25kaXRpb25zIjpbXX0=", "x-amz-algorithm" => "aws4-hmac-sha256",
                       "x-amz-credential" => "akiaexample/20180123/us-east-1/s3/aws4_request",
                       "x-amz-date" => "20180123t091405z", "x-amz-signature" => SecureRandom.hex(32)
                     } }
                 end
        [key, target]
      end
      # The seed's PUT example answers "success": "true" (a string); the POST example a boolean.
      success = result_type == "file_upload_put" ? "true" : true
      [200, { "success" => success, "data" => { "result_type" => result_type, result_type => targets } }]
    end
  end
end

if $PROGRAM_NAME == __FILE__
  options = { port: 0, api_key: "test-api-key", api_secret: "test-api-secret" }
  OptionParser.new do |o|
    o.on("--port N", Integer) { |v| options[:port] = v }
    o.on("--api-key KEY") { |v| options[:api_key] = v }
    o.on("--api-secret SECRET") { |v| options[:api_secret] = v }
  end.parse!
  app = OstServer::App.new(api_key: options[:api_key], api_secret: options[:api_secret])
  Rack::Handler::WEBrick.run(
    app,
    Host: "127.0.0.1",
    Port: options[:port],
    Logger: WEBrick::Log.new(File::NULL),
    AccessLog: [],
  ) do |server|
    stop = proc { server.shutdown }
    %w[TERM INT].each { |signal| trap(signal) { stop.call } }
    # Stop when the parent goes away: its end of our stdin closes.
    Thread.new do
      $stdin.read
      server.shutdown
    end
    $stdout.puts "OST_SERVER_READY port=#{server.listeners.first.addr[1]}"
    $stdout.flush
  end
end
